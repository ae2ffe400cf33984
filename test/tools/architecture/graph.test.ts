// The service graph, as a user sees it in --json, in the text report and in the Mermaid diagram: every
// edge with the file and line that states it, stores and brokers as nodes, copies of one Kubernetes
// workload grouped, mesh objects and ServiceAccounts not drawn, one note for Helm templates.
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/tmp.js';
import { analyze, facts, writeTree } from './helpers.js';
import { ASPIRE_APP_HOST, COMPOSE_SHARED_DB, MICROSERVICES } from './graph-samples.js';

const newDir = useTempDir('dp-arch-graph-');
const sample = (files: Record<string, string>) => writeTree(newDir(), files);

interface Edge {
  from: string;
  to: string;
  via: string;
  detail: string | null;
  file: string;
  line: number;
}
const edgeLines = (edges: Edge[]) => edges.map((e) => `${e.from} -> ${e.to} ${e.via}${e.detail ? ` ${e.detail}` : ''} @ ${e.file}:${e.line}`);

/** The same Deployment again in a release bundle and in a Helm chart, as the demo repositories ship it. */
const COPIES: Record<string, string> = {
  'release/kubernetes-manifests.yaml': ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: frontend', 'spec:', '  replicas: 1', ''].join('\n'),
  'helm-chart/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
  'helm-chart/templates/frontend.yaml': ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: frontend', 'spec:', '  replicas: {{ .Values.frontend.replicas }}', ''].join('\n'),
  'helm-chart/templates/cartservice.yaml': ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .Values.cartService.name }}', ''].join('\n'),
};

describe('service graph: Kubernetes', () => {
  it('Service selectors, addresses in env, gRPC clients: each edge with file:line', () => {
    const f = facts(sample(MICROSERVICES));
    expect(edgeLines(f.graph.edges)).toEqual([
      'k8s:Service/cartservice -> k8s:Deployment/cartservice selector app=cartservice @ kubernetes-manifests/cartservice.yaml:29',
      'k8s:Service/redis-cart -> k8s:Deployment/redis-cart selector app=redis-cart @ kubernetes-manifests/cartservice.yaml:56',
      'k8s:Service/frontend -> k8s:Deployment/frontend selector app=frontend @ kubernetes-manifests/frontend.yaml:40',
      'k8s:Deployment/cartservice -> k8s:Service/redis-cart env REDIS_ADDR @ kubernetes-manifests/cartservice.yaml:18',
      'k8s:Deployment/frontend -> k8s:Service/cartservice env CART_SERVICE_ADDR @ kubernetes-manifests/frontend.yaml:23',
      'k8s:Deployment/frontend -> k8s:Deployment/cartservice grpc CartService @ src/frontend/rpc.go:6',
    ]);
    expect(f.graph.nodes.find((n: { id: string }) => n.id === 'k8s:Deployment/redis-cart')).toEqual({
      id: 'k8s:Deployment/redis-cart',
      name: 'redis-cart',
      role: 'cache',
      source: 'kubernetes',
      kind: 'Deployment',
      technology: 'Redis',
      file: 'kubernetes-manifests/cartservice.yaml',
      line: 34,
      alsoIn: [],
    });
    // ServiceAccounts and mesh objects are not nodes; one note counts them.
    expect(f.graph.nodes.map((n: { kind: string }) => n.kind).sort()).toEqual(['Deployment', 'Deployment', 'Deployment', 'Service', 'Service', 'Service']);
    expect(f.notes).toContain('Kubernetes: 1 DestinationRule, 1 HorizontalPodAutoscaler, 1 PodDisruptionBudget, 1 ServiceAccount, 1 VirtualService: not workloads, not drawn in the diagram (autoscalers and disruption budgets are in operations)');
    expect(f.graph.findings).toEqual([
      { kind: 'store', text: 'Redis cache redis-cart is used by 1 service: cartservice', evidence: [{ file: 'kubernetes-manifests/cartservice.yaml', line: 34 }, { file: 'kubernetes-manifests/cartservice.yaml', line: 18 }] },
      { kind: 'no-broker', text: expect.stringMatching(/^no message broker among 2 service\(s\) \(looked for RabbitMQ, Kafka, NATS/), evidence: [] },
    ]);
  });

  it('draws one node per workload (its Service merged in), edges labelled with what states them', () => {
    const f = facts(sample(MICROSERVICES));
    expect(f.diagram.mermaid).toContain(
      [
        '  subgraph kubernetes["Kubernetes manifests"]',
        '    k8s_Deployment_cartservice["Deployment cartservice + Service<br/>cartservice"]',
        '    k8s_Deployment_redis_cart[("Deployment redis-cart + Service<br/>redis:alpine")]',
        '    k8s_Deployment_frontend["Deployment frontend + Service<br/>frontend<br/>2 copies"]',
        '  end',
        '  k8s_Deployment_cartservice -->|REDIS_ADDR| k8s_Deployment_redis_cart',
        '  k8s_Deployment_frontend -->|CART_SERVICE_ADDR, gRPC CartService| k8s_Deployment_cartservice',
        '',
      ].join('\n'),
    );
    expect(f.diagram.mermaid).not.toMatch(/VirtualService|ServiceAccount|DestinationRule/);
    expect(f.diagram.edges).toBe(2);
    const text = analyze([], sample(MICROSERVICES)).stdout;
    expect(text).toContain('Service graph (6 nodes, 6 edges)\n  Stores and brokers: redis-cart (Redis)\n');
    expect(text).toMatch(/ {2}frontend +-> Service cartservice +env CART_SERVICE_ADDR +kubernetes-manifests\/frontend\.yaml:23\n/);
    expect(text).toContain('  - Redis cache redis-cart is used by 1 service: cartservice (kubernetes-manifests/cartservice.yaml:34, kubernetes-manifests/cartservice.yaml:18)');
  });

  it('base, overlay, release and Helm copies are one workload with where each copy is; Helm templates get one note', () => {
    const f = facts(sample({ ...MICROSERVICES, ...COPIES }));
    const frontend = f.graph.nodes.find((n: { id: string }) => n.id === 'k8s:Deployment/frontend');
    expect(frontend).toMatchObject({
      file: 'kubernetes-manifests/frontend.yaml',
      line: 1,
      alsoIn: [
        { file: 'release/kubernetes-manifests.yaml', line: 1 },
        { file: 'helm-chart/templates/frontend.yaml', line: 1 },
        { file: 'kustomize/overlays/prod/frontend-patch.yaml', line: 1 },
      ],
    });
    expect(f.graph.nodes.filter((n: { kind: string }) => n.kind === 'Deployment')).toHaveLength(3);
    expect(f.notes.filter((n: string) => n.includes('template'))).toEqual([
      '2 template file(s) ({{ }}) not rendered (2 in Helm chart helm-chart/; first: helm-chart/templates/cartservice.yaml): a templated value is reported as written when quoted, otherwise as null; 1 resource(s) whose name is templated are listed but not grouped, drawn or given operational facts',
    ]);
    expect(f.diagram.mermaid).toContain('k8s_Deployment_frontend["Deployment frontend + Service<br/>frontend<br/>4 copies"]');
    const text = analyze([], sample({ ...MICROSERVICES, ...COPIES })).stdout;
    expect(text).toContain('  Kubernetes: 15 resources (12 once copies are grouped)\n');
    expect(text).toMatch(/ {4}Deployment frontend +images: frontend kubernetes-manifests\/frontend\.yaml:1 \(\+3 copies: release\/kubernetes-manifests\.yaml:1, helm-chart\/templates\/frontend\.yaml:1, kustomize\/overlays\/prod\/frontend-patch\.yaml:1\)\n/);
  });

  it('addresses in a ConfigMap a container reads (envFrom, configMapKeyRef): the edge cites the ConfigMap line', () => {
    const f = facts(
      sample({
        'k8s/app.yaml': [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata: {name: app-config}',
          'data:',
          '  ORDERS_URL: http://orders:8080',
          '  DB_URL: postgres://app@db.shop.svc.cluster.local:5432/shop',
          '  LOG_LEVEL: info',
          '---',
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: web}',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: web',
          '          image: web',
          '          envFrom:',
          '            - configMapRef: {name: app-config}',
          '        - name: sidecar',
          '          image: sidecar',
          '          env:',
          '            - name: TARGET',
          '              valueFrom: {configMapKeyRef: {name: app-config, key: ORDERS_URL}}',
          '---',
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: orders}',
          '---',
          'apiVersion: apps/v1',
          'kind: StatefulSet',
          'metadata: {name: db}',
          'spec: {template: {spec: {containers: [{name: pg, image: "postgres:16"}]}}}',
          '',
        ].join('\n'),
      }),
    );
    expect(f.graph.edges).toEqual([
      { from: 'k8s:Deployment/web', to: 'k8s:Deployment/orders', via: 'env', detail: 'ORDERS_URL (ConfigMap app-config)', database: null, file: 'k8s/app.yaml', line: 5 },
      { from: 'k8s:Deployment/web', to: 'k8s:StatefulSet/db', via: 'env', detail: 'DB_URL (ConfigMap app-config)', database: 'shop', file: 'k8s/app.yaml', line: 6 },
      { from: 'k8s:Deployment/web', to: 'k8s:Deployment/orders', via: 'env', detail: 'TARGET (ConfigMap app-config)', database: null, file: 'k8s/app.yaml', line: 5 },
    ]);
  });

  it('gRPC: protoc-generated files, which declare every client and server, link nothing', () => {
    const generated = ['class CartServiceStub(object):', '    pass', '', 'def add_CartServiceServicer_to_server(servicer, server):', '    pass', ''].join('\n');
    const f = facts(sample({ ...MICROSERVICES, 'src/frontend/genproto/demo_grpc.pb.go': 'func NewCartServiceClient(cc grpc.ClientConnInterface) CartServiceClient {}\n', 'src/redis-cart/demo_pb2_grpc.py': generated }));
    expect(f.graph.edges.filter((e: Edge) => e.via === 'grpc')).toEqual([{ from: 'k8s:Deployment/frontend', to: 'k8s:Deployment/cartservice', via: 'grpc', detail: 'CartService', database: null, file: 'src/frontend/rpc.go', line: 6 }]);
  });

  it('cuts a large group and says how many nodes and edges it left out; the diagram stays valid Mermaid', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 45; i += 1) {
      files[`k8s/svc${i}.yaml`] = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: svc${i}`,
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: app',
        `          image: svc${i}`,
        '          env:',
        '            - name: NEXT_SERVICE_ADDR',
        `              value: "svc${(i + 1) % 45}:8080"`,
        '',
      ].join('\n');
    }
    const f = facts(sample(files));
    expect(f.graph.edges).toHaveLength(45);
    expect(f.diagram.mermaid).toContain('    kubernetes_more["5 more not shown"]\n');
    expect(f.diagram.mermaid).toContain('  %% 6 edge(s) to the 5 node(s) not shown are not drawn\n');
    expect(f.diagram.edges).toBe(39);
  });
});

describe('service graph: compose and Aspire', () => {
  it('compose: depends_on, links, addresses in environment (names only, never values), networks; a shared database and a broker', () => {
    const f = facts(sample(COMPOSE_SHARED_DB));
    expect(edgeLines(f.graph.edges)).toEqual([
      'compose:docker-compose.yml#api -> compose:docker-compose.yml#db env DATABASE_URL @ docker-compose.yml:5',
      'compose:docker-compose.yml#api -> compose:docker-compose.yml#cache env CACHE_HOST @ docker-compose.yml:6',
      'compose:docker-compose.yml#worker -> compose:docker-compose.yml#db links @ docker-compose.yml:18',
      'compose:docker-compose.yml#worker -> compose:docker-compose.yml#db env DATABASE_URL @ docker-compose.yml:14',
      'compose:docker-compose.yml#worker -> compose:docker-compose.yml#rabbitmq env BROKER_URL @ docker-compose.yml:15',
      'compose:docker-compose.yml#worker -> external:analytics.example.com env ANALYTICS_DSN @ docker-compose.yml:16',
    ]);
    expect(f.graph.findings).toEqual([
      { kind: 'network', text: 'compose network backend (docker-compose.yml) joins 3 services: api, worker, db', evidence: [{ file: 'docker-compose.yml', line: 7 }, { file: 'docker-compose.yml', line: 19 }, { file: 'docker-compose.yml', line: 22 }] },
      { kind: 'shared-store', text: 'PostgreSQL database db is used by 2 services: api, worker; the same database app is used by api, worker', evidence: [{ file: 'docker-compose.yml', line: 20 }, { file: 'docker-compose.yml', line: 5 }, { file: 'docker-compose.yml', line: 18 }] },
      { kind: 'store', text: 'Redis cache cache is used by 1 service: api', evidence: [{ file: 'docker-compose.yml', line: 23 }, { file: 'docker-compose.yml', line: 6 }] },
      { kind: 'store', text: 'RabbitMQ message broker rabbitmq is used by 1 service: worker', evidence: [{ file: 'docker-compose.yml', line: 25 }, { file: 'docker-compose.yml', line: 15 }] },
      { kind: 'store', text: 'PostgreSQL database analytics.example.com is used by 1 service: worker', evidence: [{ file: 'docker-compose.yml', line: 16 }] },
      { kind: 'brokers', text: 'message broker(s): RabbitMQ rabbitmq', evidence: [{ file: 'docker-compose.yml', line: 25 }] },
    ]);
    const json = JSON.stringify(f);
    expect(json).not.toContain('secret');
    expect(json).not.toContain('guest');
    expect(f.diagram.mermaid).toContain('    svc0_rabbitmq{{"rabbitmq<br/>image: rabbitmq:3-management"}}\n');
    expect(f.diagram.mermaid).toContain('  svc0_worker -->|links, DATABASE_URL| svc0_db\n');
    expect(f.diagram.mermaid).toContain('  subgraph external["Reached by address"]\n    external_analytics_example_com[("analytics.example.com<br/>PostgreSQL")]\n  end\n');
  });

  it('compose files of one directory (base, override, deploy) are one project: a service they all declare is one node', () => {
    const f = facts(
      sample({
        'compose.yml': ['services:', '  db:', '    image: postgres:18', '  backend:', '    image: backend:latest', '    environment:', '      DATABASE_URL: postgresql://postgres:${POSTGRES_PASSWORD:?unset}@db:5432/app', '      REDIS_URL: redis://${REDIS_HOST}:6379', ''].join('\n'),
        'compose.override.yml': ['services:', '  backend:', '    restart: "no"', '    environment:', '      SMTP_HOST: mailpit', '  mailpit:', '    image: axllent/mailpit', ''].join('\n'),
      }),
    );
    expect(f.graph.nodes.map((n: { id: string; alsoIn: unknown[] }) => [n.id, n.alsoIn])).toEqual([
      ['compose:compose.override.yml#mailpit', []],
      ['compose:compose.yml#db', []],
      ['compose:compose.yml#backend', [{ file: 'compose.override.yml', line: 2 }]],
    ]);
    // An interpolated password leaves the address readable; an interpolated host does not make an edge.
    expect(edgeLines(f.graph.edges)).toEqual([
      'compose:compose.yml#backend -> compose:compose.yml#db env DATABASE_URL @ compose.yml:7',
      'compose:compose.yml#backend -> compose:compose.override.yml#mailpit env SMTP_HOST @ compose.override.yml:5',
    ]);
    expect(f.operations.workloads.find((w: { name: string }) => w.name === 'backend').copies).toEqual([
      { file: 'compose.yml', line: 4 },
      { file: 'compose.override.yml', line: 2 },
    ]);
    expect(f.diagram.mermaid).toContain('  subgraph compose_1["compose.yml (+ compose.override.yml)"]\n');
    expect(f.diagram.mermaid).toContain('  subgraph compose_0["compose.override.yml"]\n    svc0_mailpit["mailpit<br/>image: axllent/mailpit"]\n  end\n');
  });

  it('JDBC URLs and .NET connection strings in compose environments link to the database, naming it', () => {
    const f = facts(
      sample({
        'docker-compose.yml': [
          'services:',
          '  petclinic:',
          '    image: springcommunity/spring-petclinic',
          '    environment:',
          '      - SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/petclinic',
          '  orders:',
          '    build: ./orders',
          '    environment:',
          '      ConnectionStrings__OrdersDb: "Host=db;Port=5432;Database=orders;Username=app;Password=${PW}"',
          '  db:',
          '    image: postgres:16',
          '',
        ].join('\n'),
      }),
    );
    expect(f.graph.edges.map((e: Edge & { database: string }) => `${e.from} -> ${e.to} ${e.detail} ${e.database} :${e.line}`)).toEqual([
      'compose:docker-compose.yml#petclinic -> compose:docker-compose.yml#db SPRING_DATASOURCE_URL petclinic :5',
      'compose:docker-compose.yml#orders -> compose:docker-compose.yml#db ConnectionStrings__OrdersDb orders :9',
    ]);
    expect(f.graph.findings[0]).toMatchObject({ kind: 'shared-server', text: 'PostgreSQL database db is used by 2 services, each through its own database: petclinic (petclinic), orders (orders)' });
    expect(JSON.stringify(f)).not.toContain('${PW}');
  });

  it('Aspire: AddProject, stores and WithReference (through a database variable) are nodes and edges', () => {
    const f = facts(sample(ASPIRE_APP_HOST));
    expect(f.graph.nodes.map((n: { name: string; role: string; kind: string; line: number }) => `${n.name} ${n.role} ${n.kind} :${n.line}`)).toEqual([
      'cache cache AddRedis :4',
      'postgres database AddPostgres :5',
      'apiservice service AddProject Projects.AspireApp_ApiService :9',
      'webfrontend service AddProject Projects.AspireApp_Web :13',
    ]);
    expect(edgeLines(f.graph.edges)).toEqual([
      'aspire:AppHost/Program.cs#apiservice -> aspire:AppHost/Program.cs#postgres reference WithReference(catalogDb) @ AppHost/Program.cs:10',
      'aspire:AppHost/Program.cs#apiservice -> aspire:AppHost/Program.cs#cache reference WithReference(cache) @ AppHost/Program.cs:11',
      'aspire:AppHost/Program.cs#webfrontend -> aspire:AppHost/Program.cs#cache reference WithReference(cache) @ AppHost/Program.cs:15',
      'aspire:AppHost/Program.cs#webfrontend -> aspire:AppHost/Program.cs#apiservice reference WithReference(apiService) @ AppHost/Program.cs:17',
    ]);
    expect(f.graph.findings[0]).toEqual({ kind: 'shared-store', text: 'Redis cache cache is used by 2 services: apiservice, webfrontend', evidence: [{ file: 'AppHost/Program.cs', line: 4 }, { file: 'AppHost/Program.cs', line: 11 }, { file: 'AppHost/Program.cs', line: 15 }] });
    expect(f.diagram.mermaid).toContain('  aspire_0_webfrontend -->|reference| aspire_0_apiservice\n');
  });

  it('one database server, several databases: separate databases are told apart from one shared database', () => {
    const host = (orderProcessorDb: string) =>
      [
        'var builder = DistributedApplication.CreateBuilder(args);',
        'var postgres = builder.AddPostgres("postgres");',
        'var catalogDb = postgres.AddDatabase("catalogdb");',
        'var orderDb = postgres.AddDatabase("orderingdb");',
        'builder.AddProject<Projects.Catalog_API>("catalog-api").WithReference(catalogDb);',
        'builder.AddProject<Projects.Ordering_API>("ordering-api").WithReference(orderDb);',
        `builder.AddProject<Projects.OrderProcessor>("order-processor").WithReference(${orderProcessorDb});`,
        '',
      ].join('\n');
    const separate = facts(sample({ 'src/AppHost/Program.cs': host('catalogDb').replace('("order-processor").WithReference(catalogDb)', '("order-processor")') }));
    expect(separate.graph.findings[0]).toEqual({
      kind: 'shared-server',
      text: 'PostgreSQL database postgres is used by 2 services, each through its own database: catalogdb (catalog-api), orderingdb (ordering-api)',
      evidence: [{ file: 'src/AppHost/Program.cs', line: 2 }, { file: 'src/AppHost/Program.cs', line: 5 }, { file: 'src/AppHost/Program.cs', line: 6 }],
    });
    const shared = facts(sample({ 'src/AppHost/Program.cs': host('orderDb') }));
    expect(shared.graph.findings[0]).toMatchObject({ kind: 'shared-store', text: 'PostgreSQL database postgres is used by 3 services: catalog-api, ordering-api, order-processor; the same database orderingdb is used by ordering-api, order-processor' });
    expect(shared.graph.edges.map((e: { database: string | null }) => e.database)).toEqual(['catalogdb', 'orderingdb', 'orderingdb']);
  });

  it('gRPC between Aspire projects: a file belongs to the project whose .csproj directory holds it', () => {
    const f = facts(
      sample({
        'src/AppHost/Program.cs': ['var builder = DistributedApplication.CreateBuilder(args);', 'var basketApi = builder.AddProject<Projects.Basket_API>("basket-api");', 'builder.AddProject<Projects.WebApp>("webapp").WithReference(basketApi);', ''].join('\n'),
        'src/Basket.API/Basket.API.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup><PackageReference Include="Grpc.AspNetCore" Version="2.6" /></ItemGroup></Project>\n',
        'src/Basket.API/Proto/basket.proto': 'syntax = "proto3";\nservice Basket {\n  rpc GetBasket(GetBasketRequest) returns (CustomerBasketResponse) {}\n}\n',
        'src/Basket.API/Grpc/BasketService.cs': 'using Grpc.Core;\npublic class BasketService(ILogger<BasketService> logger) : Basket.BasketBase\n{\n}\n',
        'src/WebApp/WebApp.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
        'src/WebApp/Extensions.cs': 'using Grpc.Net.Client;\npublic static class Extensions\n{\n    public static void AddServices(IServiceCollection services)\n    {\n        services.AddGrpcClient<Basket.BasketClient>(o => { });\n    }\n}\n',
      }),
    );
    expect(edgeLines(f.graph.edges)).toEqual([
      'aspire:src/AppHost/Program.cs#webapp -> aspire:src/AppHost/Program.cs#basket-api reference WithReference(basketApi) @ src/AppHost/Program.cs:3',
      'aspire:src/AppHost/Program.cs#webapp -> aspire:src/AppHost/Program.cs#basket-api grpc Basket @ src/WebApp/Extensions.cs:6',
    ]);
    expect(f.diagram.mermaid).toContain('  aspire_0_webapp -->|reference, gRPC Basket| aspire_0_basket_api\n');
  });

  it('no broker: said as a fact, naming the broker clients the manifests declare', () => {
    const f = facts(sample({ 'docker-compose.yml': 'services:\n  api:\n    build: .\n', 'package.json': JSON.stringify({ name: 'x', dependencies: { kafkajs: '^2' } }) }));
    expect(f.graph.findings).toEqual([
      { kind: 'no-broker', text: expect.stringMatching(/^no message broker among 1 service\(s\) \(looked for .+\); yet package\.json declares Kafka client$/), evidence: [{ file: 'package.json', line: null }] },
    ]);
  });
});
