// gRPC clients and servers as protoc's generated code names them, per language (unit tests).
import { describe, expect, it } from 'vitest';
import { grpcCallsIn, protoServicesIn } from '../../../shared/tools/architecture/grpc.js';

const calls = (file: string, text: string) => grpcCallsIn(file, text).map((c) => `${c.role} ${c.service} :${c.line}`);

describe('grpcCallsIn', () => {
  it('clients and servers in Go, Python, Java, C# and Node', () => {
    expect(calls('svc/main.go', 'import pb "x/genproto"\nc := pb.NewCartServiceClient(conn)\npb.RegisterCheckoutServiceServer(srv, s)\n')).toEqual(['client CartService :2', 'server CheckoutService :3']);
    expect(calls('rec/server.py', 'import demo_pb2_grpc\nstub = demo_pb2_grpc.ProductCatalogServiceStub(channel)\ndemo_pb2_grpc.add_RecommendationServiceServicer_to_server(s, server)\n')).toEqual(['client ProductCatalogService :2', 'server RecommendationService :3']);
    expect(calls('ad/AdService.java', 'import io.grpc.*;\nclass AdServiceImpl extends hipstershop.AdServiceGrpc.AdServiceImplBase {}\nvar s = CartServiceGrpc.newBlockingStub(ch);\n')).toEqual(['client CartService :3', 'server AdService :2']);
    expect(calls('cart/CartService.cs', 'using Grpc.Core;\npublic class CartService : Hipstershop.CartService.CartServiceBase {}\nvar c = new Catalog.CatalogClient(channel);\n')).toEqual(['client Catalog :3', 'server CartService :2']);
    expect(calls('cur/server.js', "const grpc = require('@grpc/grpc-js');\nserver.addService(hipstershop.CurrencyService.service, impl);\nconst c = new hipstershop.ShippingService(addr, grpc.credentials.createInsecure());\n")).toEqual(['client ShippingService :3', 'server CurrencyService :2']);
  });

  it('generated files and definitions say nothing about who calls whom', () => {
    expect(calls('svc/genproto/demo_grpc.pb.go', 'func NewCartServiceClient(cc grpc.ClientConnInterface) CartServiceClient {}\n')).toEqual([]);
    expect(calls('svc/demo_pb2_grpc.py', 'class CartServiceStub(object):\n    pass\n')).toEqual([]);
    expect(calls('svc/client.py', 'import grpc\ndef add_CartServiceServicer_to_server(a, b): pass\n')).toEqual([]);
  });
});

describe('protoServicesIn', () => {
  it('each service with its line', () => {
    expect(protoServicesIn('demo.proto', 'syntax = "proto3";\n\nservice CartService {\n}\n  service Email{\n}\n')).toEqual([
      { name: 'CartService', file: 'demo.proto', line: 3 },
      { name: 'Email', file: 'demo.proto', line: 5 },
    ]);
  });
});
