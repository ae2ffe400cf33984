// What the service graph and the operational facts are built from, gathered during the one read of
// each file: compose services and Kubernetes objects as written, Aspire app hosts, proto services and
// gRPC clients/servers, and which files are templates.
import { mayBeAspireHost, readAspireHost, type AspireHost } from './aspire.js';
import type { GrpcCall, ProtoService } from './graph.js';
import { grpcCallsIn, protoServicesIn } from './grpc.js';
import type { ComposeObject, KubernetesObject } from './services.js';

export interface GraphSources {
  compose: ComposeObject[];
  kubernetes: KubernetesObject[];
  aspire: AspireHost[];
  protoServices: ProtoService[];
  grpcCalls: GrpcCall[];
  /** Kubernetes files with template syntax ({{ }}). */
  templates: string[];
}

export const newGraphSources = (): GraphSources => ({ compose: [], kubernetes: [], aspire: [], protoServices: [], grpcCalls: [], templates: [] });

/** A file read for the graph only (an Aspire app host), beyond those read for services, routes and models. */
export const mayHoldGraphFacts = (path: string): boolean => mayBeAspireHost(path);

/** Aspire resources, proto services and gRPC calls in one file's text (added to `sources`). */
export function collectGraphFacts(path: string, text: string, sources: GraphSources): void {
  if (mayBeAspireHost(path)) {
    const host = readAspireHost(path, text);
    if (host) sources.aspire.push(host);
  }
  if (path.endsWith('.proto')) sources.protoServices.push(...protoServicesIn(path, text));
  else sources.grpcCalls.push(...grpcCallsIn(path, text));
}
