// gRPC: the services a .proto file declares, and the code that is a client or a server of one, by the
// names protoc's generated code gives them (Go NewXClient/RegisterXServer, Python XStub/
// add_XServicer_to_server, Java XGrpc.newStub/XGrpc.XImplBase, C# new X.XClient/AddGrpcClient/X.XBase, Node
// new pkg.X(address, grpc.credentials...)/addService).
import type { GrpcCall, ProtoService } from './graph.js';

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

export function protoServicesIn(file: string, text: string): ProtoService[] {
  return [...text.matchAll(/^[ \t]*service[ \t]+(\w+)[ \t]*\{/gm)].map((m) => ({ name: m[1]!, file, line: lineOf(text, m.index!) }));
}

const PATTERNS: [RegExp, GrpcCall['role']][] = [
  [/\bNew(\w+)Client\s*\(/g, 'client'],
  [/\bRegister(\w+)Server\s*\(/g, 'server'],
  [/\b([A-Z]\w*)Stub\s*\(/g, 'client'],
  [/\badd_(\w+)Servicer_to_server\s*\(/g, 'server'],
  [/\b(\w+)Grpc\s*\.\s*new(?:Blocking|Future)?Stub\s*\(/g, 'client'],
  [/\b(\w+)Grpc\s*\.\s*\w*ImplBase\b/g, 'server'],
  [/\bnew\s+(\w+)\s*\.\s*\1Client\s*\(/g, 'client'],
  [/\bAddGrpcClient\s*<\s*(?:\w+\s*\.\s*)*?(\w+)\s*\.\s*\1Client\s*>/g, 'client'],
  [/:\s*(?:\w+\s*\.\s*)*?(\w+)\s*\.\s*\1Base\b/g, 'server'],
  [/\bnew\s+(?:\w+\s*\.\s*)+(\w+)\s*\([^()]*?,\s*(?:grpc\.)?credentials\b/g, 'client'],
  [/\.addService\s*\(\s*[\w.]*?\.?(\w+)\.service\b/g, 'server'],
];

const SOURCE = /\.(go|py|java|kt|cs|js|ts|mjs|cjs)$/;
/** protoc's output declares every client and server of the proto: it says nothing about who calls whom. */
const GENERATED = /(_pb2(_grpc)?\.py|\.pb\.go|_grpc\.pb\.go|Grpc\.(java|cs|kt)|\.pb\.cs|_pb\.(js|ts)|_grpc_pb\.(js|ts)|\.pb\.(js|ts))$|(^|\/)(genproto|gen|generated)\//;
/** A definition (`def add_X_to_server(`, `class XStub(`, `func NewXClient(`) rather than a use. */
const DEFINITION = /\b(def|class|func|function|interface|type)\s+$/;

export function grpcCallsIn(file: string, text: string): GrpcCall[] {
  if (!SOURCE.test(file) || GENERATED.test(file) || !/grpc|Grpc|_pb2|\bpb\b|proto/.test(text)) return [];
  const out: GrpcCall[] = [];
  for (const [pattern, role] of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      if (DEFINITION.test(text.slice(Math.max(0, m.index! - 12), m.index!))) continue;
      out.push({ service: m[1]!, role, file, line: lineOf(text, m.index!) });
    }
  }
  return out;
}
