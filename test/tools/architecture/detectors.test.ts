// The manifest, service, route, model and schema readers on the formats the end-to-end samples do not cover.
import { describe, expect, it } from 'vitest';
import { mayHoldModels, modelsIn } from '../../../shared/tools/architecture/models.js';
import { mayHoldRoutes, routesIn } from '../../../shared/tools/architecture/routes.js';
import { schemaIn } from '../../../shared/tools/architecture/schemas.js';
import { readCompose, readKubernetes } from '../../../shared/tools/architecture/services.js';
import { readStack } from '../../../shared/tools/architecture/stacks.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const short = (routes: ReturnType<typeof routesIn>) => routes.map((r) => `${r.method} ${r.path} ${r.framework} :${r.line}`);

describe('manifests', () => {
  it('Cargo.toml: runtime, dev, build and target dependencies; workspace members', () => {
    const stack = readStack(
      'Cargo.toml',
      lines('[package]', 'name = "gateway"', '[dependencies]', 'axum = "0.7"', 'tokio = { version = "1", features = ["full"] }', '[dev-dependencies]', 'insta = "1"', '[build-dependencies]', 'cc = "1"', "[target.'cfg(unix)'.dependencies]", 'nix = "0.28"', '[workspace]', 'members = ["crates/*"]'),
    )!;
    expect(stack).toMatchObject({ ecosystem: 'cargo', language: 'Rust', name: 'gateway', frameworks: ['Axum', 'Tokio'], notes: ['workspace members: crates/*'] });
    expect(stack.dependencies).toEqual({ total: 5, runtime: 3, dev: 1, groups: { dependencies: 2, 'dev-dependencies': 1, 'build-dependencies': 1, "target.cfg(unix).dependencies": 1 } });
  });

  it('pom.xml: scopes, not dependencyManagement or plugin dependencies; the Spring Boot parent', () => {
    const pom = lines(
      '<project>',
      '  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>',
      '  <artifactId>orders</artifactId>',
      '  <!-- <dependency><artifactId>commented-out</artifactId></dependency> -->',
      '  <dependencyManagement><dependencies><dependency><artifactId>bom</artifactId></dependency></dependencies></dependencyManagement>',
      '  <dependencies>',
      '    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>',
      '    <dependency><artifactId>postgresql</artifactId><scope>runtime</scope></dependency>',
      '    <dependency><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>',
      '  </dependencies>',
      '  <build><plugins><plugin><dependencies><dependency><artifactId>plugin-dep</artifactId></dependency></dependencies></plugin></plugins></build>',
      '</project>',
    );
    const stack = readStack('services/orders/pom.xml', pom)!;
    expect(stack).toMatchObject({ ecosystem: 'maven', language: 'Java', name: 'orders', frameworks: ['Spring Web MVC', 'Spring Boot'] });
    expect(stack.dependencies).toEqual({ total: 3, runtime: 2, dev: 1, groups: { compile: 1, runtime: 1, test: 1 } });
    expect(stack.notes).toEqual(['dependencyManagement entries (versions only) not counted']);
  });

  it('build.gradle.kts: configurations inside dependencies { }, test ones as dev', () => {
    const stack = readStack(
      'build.gradle.kts',
      lines('plugins {', '  id("org.springframework.boot") version "3.2.0"', '  kotlin("jvm") version "1.9.0"', '}', 'dependencies {', '  implementation("org.springframework.boot:spring-boot-starter-webflux")', '  runtimeOnly("org.postgresql:postgresql")', '  // implementation("commented:out")', '  testImplementation("io.kotest:kotest-runner-junit5:5.8.0")', '  implementation(libs.jackson)', '}', 'tasks.test { useJUnitPlatform() }'),
    )!;
    expect(stack).toMatchObject({ ecosystem: 'gradle', language: 'Kotlin', frameworks: ['Spring WebFlux', 'Spring Boot'] });
    expect(stack.dependencies).toEqual({ total: 4, runtime: 3, dev: 1, groups: { implementation: 2, runtimeOnly: 1, testImplementation: 1 } });
  });

  it('build.gradle: dependencies inside conditionals and loops are read; constraints and a dependency\'s own block are not', () => {
    const stack = readStack(
      'build.gradle',
      lines(
        'dependencies {',
        "  implementation 'org.springframework.boot:spring-boot-starter-web'",
        "  if (project.hasProperty('postgres')) {",
        "    runtimeOnly 'org.postgresql:postgresql'",
        '  } else {',
        "    runtimeOnly 'com.h2database:h2'",
        '  }',
        "  if (withKafka) { implementation 'x:inline-not-read' }",
        "  implementation('io.grpc:grpc-netty') {",
        "    exclude group: 'io.netty'",
        '  }',
        '  constraints {',
        "    implementation 'com.google.guava:guava:33.0.0-jre'",
        '  }',
        "  ['a', 'b'].each { name ->",
        '  }',
        "  testImplementation 'org.junit.jupiter:junit-jupiter'",
        '}',
      ),
    )!;
    expect(stack.dependencies).toEqual({ total: 5, runtime: 4, dev: 1, groups: { implementation: 2, runtimeOnly: 2, testImplementation: 1 } });
  });

  it('a pip-compile lock file: only the "# via -r" pins are direct dependencies, and only they name frameworks', () => {
    const locked = lines(
      '#',
      '# This file is autogenerated by pip-compile with Python 3.12',
      '#    pip-compile requirements.in',
      '#',
      'blinker==1.7.0',
      '    # via flask',
      'flask==3.0.0',
      '    # via',
      '    #   flask-basicauth',
      '    #   locust',
      'locust==2.20.0',
      '    # via -r requirements.in',
      'requests==2.31.0 \\',
      '    --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f',
      '    # via',
      '    #   -r requirements.in',
      '    #   locust',
    );
    const stack = readStack('src/loadgenerator/requirements.txt', locked)!;
    expect(stack.frameworks).toEqual([]);
    expect(stack.dependencies).toEqual({ total: 2, runtime: null, dev: null, groups: { 'requirements (direct, from # via -r)': 2 } });
    expect(stack.notes).toEqual(['a generated lock file (every requirement pinned with ==): 4 pinned packages, direct and transitive', 'only the 2 marked "# via -r <file>" are counted as direct dependencies']);
    // Pinned with hashes but without "# via": nothing is counted as direct, no framework is named.
    const hashed = readStack('requirements.txt', lines('flask==3.0.0 \\', '    --hash=sha256:abc', 'gunicorn==21.2.0 \\', '    --hash=sha256:def'))!;
    expect(hashed).toMatchObject({ frameworks: [], dependencies: { total: null, groups: { 'requirements (locked)': 2 } } });
    // Pinned by hand (no sign of a generator): the direct dependencies, as before.
    expect(readStack('requirements.txt', lines('Flask==3.0.0', 'gunicorn==21.2.0'))).toMatchObject({ frameworks: ['Flask', 'Gunicorn'], dependencies: { total: 2 } });
  });

  it('Gemfile: groups in blocks and inline, development and test as dev', () => {
    const stack = readStack('Gemfile', lines("source 'https://rubygems.org'", "gem 'rails', '~> 7.1'", "gem 'pg'", 'group :development, :test do', "  gem 'rspec-rails'", 'end', "gem 'sidekiq'", "gem 'rubocop', group: :development", 'group :production do', "  gem 'lograge'", 'end'))!;
    expect(stack).toMatchObject({ ecosystem: 'bundler', language: 'Ruby', frameworks: ['Rails', 'Sidekiq', 'PostgreSQL client'] });
    expect(stack.dependencies).toEqual({ total: 6, runtime: 4, dev: 2, groups: { default: 3, 'development, test': 1, development: 1, production: 1 } });
  });

  it('composer.json: platform requirements are not packages', () => {
    const stack = readStack('composer.json', JSON.stringify({ name: 'acme/shop', require: { php: '^8.2', 'ext-json': '*', 'laravel/framework': '^11' }, 'require-dev': { 'phpunit/phpunit': '^11' } }))!;
    expect(stack).toMatchObject({ ecosystem: 'composer', name: 'acme/shop', frameworks: ['Laravel'], notes: ['platform requirements not counted: php, ext-json'] });
    expect(stack.dependencies).toEqual({ total: 2, runtime: 1, dev: 1, groups: { require: 1, 'require-dev': 1 } });
  });

  it('*.csproj: package references; the Web SDK; no runtime/dev split in the format', () => {
    const stack = readStack('src/Api/Api.csproj', lines('<Project Sdk="Microsoft.NET.Sdk.Web">', '  <ItemGroup>', '    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="8.0.0" />', '    <PackageReference Include="Serilog" Version="3.1.1" />', '    <ProjectReference Include="..\\Domain\\Domain.csproj" />', '  </ItemGroup>', '</Project>'))!;
    expect(stack).toMatchObject({ ecosystem: 'nuget', language: 'C#', name: 'Api', frameworks: ['ASP.NET Core', 'Entity Framework Core'], notes: ['1 project reference(s) to other projects in the solution'] });
    expect(stack.dependencies).toEqual({ total: 2, runtime: null, dev: null, groups: { PackageReference: 2 } });
  });

  it('pyproject.toml with Poetry: python itself is not a dependency; groups are dev', () => {
    const stack = readStack('pyproject.toml', lines('[tool.poetry]', 'name = "etl"', '[tool.poetry.dependencies]', 'python = "^3.11"', 'Django = "^5.0"', 'celery = "*"', '[tool.poetry.group.test.dependencies]', 'pytest = "*"'))!;
    expect(stack).toMatchObject({ name: 'etl', frameworks: ['Django', 'Celery'] });
    expect(stack.dependencies).toEqual({ total: 3, runtime: 2, dev: 1, groups: { 'tool.poetry.dependencies': 2, 'tool.poetry.group.test.dependencies': 1 } });
  });

  it('a pyproject.toml with tool settings only counts nothing and says so', () => {
    const stack = readStack('pyproject.toml', lines('[tool.ruff]', 'line-length = 100'))!;
    expect(stack.dependencies).toEqual({ total: null, runtime: null, dev: null, groups: {} });
    expect(stack.notes).toEqual(['declares no project or dependencies (tool settings only)']);
  });

  it('setup.py with a literal install_requires list', () => {
    const stack = readStack('setup.py', lines('from setuptools import setup', 'setup(', '    name="calc",', '    install_requires=["numpy>=1.26", "requests"],', '    extras_require={"dev": ["pytest"]},', ')'))!;
    expect(stack).toMatchObject({ name: 'calc' });
    expect(stack.dependencies).toEqual({ total: 3, runtime: 2, dev: 0, groups: { install_requires: 2, 'extras_require.dev': 1 } });
  });
});

describe('routes', () => {
  it('Spring: class-level @RequestMapping prefix, verb mappings, named arguments', () => {
    const java = lines(
      'import org.springframework.web.bind.annotation.*;',
      '@RestController',
      '@RequestMapping("/api/orders")',
      'public class OrderController {',
      '  @GetMapping',
      '  public List<Order> list() { return null; }',
      '  @GetMapping(value = "/{id}", produces = "application/json")',
      '  public Order get() { return null; }',
      '  @RequestMapping(',
      '      path = "/bulk",',
      '      method = RequestMethod.POST)',
      '  public void bulk() {}',
      '}',
    );
    expect(short(routesIn('src/main/java/OrderController.java', java, []))).toEqual(['GET /api/orders spring :5', 'GET /api/orders/{id} spring :7', 'POST /api/orders/bulk spring :9']);
  });

  it('JAX-RS: @Path on the class and the method, verb annotations', () => {
    const java = lines('import jakarta.ws.rs.*;', '@Path("/users")', 'public class UserResource {', '  @GET', '  public List<User> all() {}', '  @POST', '  @Path("{id}/disable")', '  public void disable() {}', '}');
    expect(short(routesIn('UserResource.java', java, []))).toEqual(['GET /users jax-rs :4', 'POST /users/{id}/disable jax-rs :6']);
  });

  it('NestJS: @Controller prefix and method decorators', () => {
    const ts = lines("import { Controller, Get, Post, Param } from '@nestjs/common';", "@Controller('cats')", 'export class CatsController {', '  @Get()', '  findAll() {}', "  @Get(':id')", "  findOne(@Param('id') id: string) {}", '  @Post()', '  create() {}', '}');
    expect(short(routesIn('src/cats/cats.controller.ts', ts, []))).toEqual(['GET /cats nestjs :4', 'GET /cats/:id nestjs :6', 'POST /cats nestjs :8']);
  });

  it('Next.js: app router handlers and pages, pages router pages and API routes, only in a Next.js project', () => {
    const handler = lines('export async function GET() {}', 'export const POST = handler;');
    expect(short(routesIn('web/src/app/(shop)/orders/[id]/route.ts', handler, ['web']))).toEqual(['GET /orders/[id] next-app :1', 'POST /orders/[id] next-app :2']);
    expect(short(routesIn('web/app/page.tsx', lines("import x from 'y';", 'export default function Home() {}'), ['web']))).toEqual(['PAGE / next-app :2']);
    expect(short(routesIn('pages/blog/[slug].tsx', 'export default function Post() {}\n', ['']))).toEqual(['PAGE /blog/[slug] next-pages :1']);
    expect(short(routesIn('pages/api/users/index.ts', 'export default function handler() {}\n', ['']))).toEqual(['ANY /api/users next-pages :1']);
    expect(routesIn('pages/_app.tsx', 'export default function App() {}\n', [''])).toEqual([]);
    expect(routesIn('app/page.tsx', 'export default function Home() {}\n', [])).toEqual([]);
  });

  it('Django urls.py: path, re_path and include', () => {
    const py = lines('from django.urls import include, path, re_path', 'urlpatterns = [', "    path('admin/', admin.site.urls),", "    path('api/', include('api.urls')),", "    re_path(r'^articles/(?P<year>[0-9]{4})/$', views.year_archive),", ']');
    expect(short(routesIn('shop/urls.py', py, []))).toEqual(['ANY admin/ django :3', 'MOUNT api/ django :4', 'ANY ^articles/(?P<year>[0-9]{4})/$ django :5']);
  });

  it('Rails routes.rb: verbs, resources, root, namespaces and mounts', () => {
    const rb = lines('Rails.application.routes.draw do', "  root 'home#index'", '  resources :orders do', '    resources :items', '  end', '  namespace :api do', "    get 'status', to: 'status#show'", '  end', "  post '/login' => 'sessions#create'", "  mount Sidekiq::Web => '/sidekiq'", 'end');
    expect(short(routesIn('config/routes.rb', rb, []))).toEqual([
      'GET / rails :2',
      'RESOURCES /orders rails :3',
      'RESOURCES /items rails :4',
      'GET /api/status rails :7',
      'POST /login rails :9',
      'MOUNT /sidekiq rails :10',
    ]);
  });

  it('gin groups, gorilla/mux methods, echo verbs', () => {
    const gin = lines('import "github.com/gin-gonic/gin"', 'func main() {', '  r := gin.Default()', '  v1 := r.Group("/v1")', '  admin := v1.Group("/admin")', '  admin.DELETE("/users/:id", del)', '}');
    // The groups' MOUNT lines give way to the routes found under them, with every part of the path.
    expect(short(routesIn('main.go', gin, []))).toEqual(['DELETE /v1/admin/users/:id gin :6']);
    expect(routesIn('main.go', gin, [])[0]!.parts).toEqual([
      { path: '/v1', file: 'main.go', line: 4 },
      { path: '/admin', file: 'main.go', line: 5 },
      { path: '/users/:id', file: 'main.go', line: 6 },
    ]);
    const mux = lines('import "github.com/gorilla/mux"', 'r.HandleFunc("/products/{id}", h).Methods("GET", "PUT")');
    expect(short(routesIn('api.go', mux, []))).toEqual(['GET /products/{id} gorilla/mux :2', 'PUT /products/{id} gorilla/mux :2']);
  });

  it('Laravel and Symfony', () => {
    expect(short(routesIn('routes/api.php', lines('<?php', "Route::get('/users', [UserController::class, 'index']);", "Route::apiResource('posts', PostController::class);"), []))).toEqual(['GET /users laravel :2', 'RESOURCES posts laravel :3']);
    expect(short(routesIn('src/Controller/A.php', lines("#[Route('/blog/{slug}', name: 'post', methods: ['GET', 'HEAD'])]"), []))).toEqual(['GET /blog/{slug} symfony :1', 'HEAD /blog/{slug} symfony :1']);
  });

  it('ignores client calls and files that import no server and name no router', () => {
    expect(routesIn('src/api.ts', lines("import axios from 'axios';", "axios.get('/users');", "cache.get('/key');"), [])).toEqual([]);
    expect(routesIn('src/app.spec.ts', "app.get('/x', h);\n", [])).toEqual([]);
  });
});

describe('models and schemas', () => {
  it('Prisma, Django, SQLModel, TypeORM, JPA, Active Record, Sequelize', () => {
    const names = (path: string, text: string) => modelsIn(path, text).map((m) => `${m.kind} ${m.name} :${m.line}`);
    expect(names('prisma/schema.prisma', lines('model User {', '  id Int @id', '}', 'enum Role {', '  ADMIN', '}'))).toEqual(['prisma User :1']);
    expect(names('shop/models.py', lines('from django.db import models', 'class Order(models.Model):', '    pass', 'class Helper:', '    pass'))).toEqual(['django Order :2']);
    expect(names('db.py', lines('from sqlmodel import SQLModel, Field', 'class Hero(SQLModel, table=True):', '    id: int', 'class HeroCreate(SQLModel):', '    name: str'))).toEqual(['sqlmodel Hero :2']);
    expect(names('src/user.entity.ts', lines("import { Entity, Column } from 'typeorm';", '@Entity()', 'export class User {', '  @Column() name: string;', '}'))).toEqual(['typeorm User :3']);
    expect(names('src/main/java/Order.java', lines('import jakarta.persistence.*;', '@Entity', '@Table(name = "orders")', 'public class Order {}'))).toEqual(['jpa Order :4']);
    expect(names('app/models/order.rb', lines('class Order < ApplicationRecord', 'end'))).toEqual(['active-record Order :1']);
    expect(names('models/user.js', lines("const { Model } = require('sequelize');", "sequelize.define('Project', {});", 'class User extends Model {}'))).toEqual(['sequelize Project :2', 'sequelize User :3']);
  });

  it('one test-file rule for routes and models: what a test, a fixture or a mock declares is neither', () => {
    const django = lines('from django.db import models', 'from flask import Flask', 'class Order(models.Model):', '    pass', '@app.get("/orders")', 'def orders(): ...');
    const express = lines("import express from 'express';", "import mongoose from 'mongoose';", 'const app = express();', "app.get('/users', h);", "const User = mongoose.model('User', schema);");
    const tests: Array<[string, string]> = [
      ['test/app.py', django],
      ['tests/app.py', django],
      ['pkg/e2e/app.py', django],
      ['fixtures/app.py', django],
      ['test/fixture/app.py', django],
      ['spec/app.py', django],
      ['test_app.py', django],
      ['app_test.py', django],
      ['e2e/server.ts', express],
      ['src/__tests__/server.ts', express],
      ['src/__mocks__/server.ts', express],
      ['src/fixtures/server.js', express],
      ['src/server.test.ts', express],
      ['src/server.spec.mjs', express],
    ];
    for (const [path, text] of tests) {
      expect([mayHoldRoutes(path), mayHoldModels(path)], path).toEqual([false, false]);
      expect([routesIn(path, text, []), modelsIn(path, text)], path).toEqual([[], []]);
    }
    for (const path of ['spec/models/order_spec.rb', 'src/test/java/OrderTest.java', 'src/OrderTests.kt', 'fixtures/schema.sql', 'fixtures/schema.prisma']) {
      expect(mayHoldModels(path), path).toBe(false);
    }
    expect(mayHoldRoutes('store/store_test.go')).toBe(false);
    // Names that only contain "test" are not tests.
    for (const [path, text] of [['contest/app.py', django], ['src/latest.ts', express], ['testing/app.py', django]] as const) {
      expect([routesIn(path, text, []).length, modelsIn(path, text).length], path).toEqual([1, 1]);
    }
  });

  it('OpenAPI (YAML and JSON), GraphQL, Protobuf and Prisma schema files', () => {
    expect(schemaIn('api/openapi.yaml', lines('openapi: 3.1.0', 'info:', '  title: Orders API', '  version: "2"', 'paths:', '  /orders: {}', '  /orders/{id}: {}'))).toEqual({ file: 'api/openapi.yaml', kind: 'openapi', version: '3.1.0', title: 'Orders API', detail: null, count: 2, countOf: 'paths' });
    expect(schemaIn('docs/swagger.json', JSON.stringify({ swagger: '2.0', info: { title: 'Legacy' }, paths: { '/a': {} } }))).toMatchObject({ kind: 'swagger', version: '2.0', title: 'Legacy', count: 1 });
    expect(schemaIn('config/app.yaml', 'name: app\n')).toBeNull();
    expect(schemaIn('schema.graphql', lines('type Query {', '  me: User', '}', 'type User { id: ID }', 'input NewUser { name: String }'))).toMatchObject({ kind: 'graphql', count: 3, countOf: 'type definitions' });
    expect(schemaIn('proto/orders.proto', lines('syntax = "proto3";', 'package acme.orders.v1;', 'service Orders {}', 'message Order {}', 'message Item {}'))).toMatchObject({ kind: 'protobuf', count: 2, detail: 'package acme.orders.v1, 1 service(s)' });
    expect(schemaIn('prisma/schema.prisma', lines('datasource db {', '  provider = "postgresql"', '}', 'model A {', '}'))).toMatchObject({ kind: 'prisma', count: 1, detail: 'datasource provider: postgresql' });
  });
});

describe('YAML files (the yaml library)', () => {
  const compose = (...text: string[]) => readCompose('docker-compose.yml', lines(...text)).compose!.services;

  it('compose values as written, flow collections over several lines, comments, and the line of each service', () => {
    expect(
      compose(
        'services:',
        '  web:',
        '    image: "nginx:1.27" # a comment',
        '    ports:',
        '    - 8080:80',
        '    - 443',
        '    - {target: 53, published: 5353,',
        '       protocol: udp}',
        '    depends_on: [api]',
        '  api:',
        '    build: {context: ./api}',
        '    image: ~',
      ),
    ).toEqual([
      { name: 'web', line: 2, image: 'nginx:1.27', build: null, ports: ['8080:80', '443', '5353:53/udp'], dependsOn: ['api'] },
      { name: 'api', line: 10, image: null, build: './api', ports: [], dependsOn: [] },
    ]);
  });

  it('follows anchors, aliases and merge keys (<<), as docker compose does', () => {
    expect(compose('x-base: &base', '  image: app:1', '  depends_on: [db]', 'services:', '  web:', '    <<: *base', '    ports: ["80:80"]', '  worker: *base', '  db:', '    image: postgres:16')).toEqual([
      { name: 'web', line: 5, image: 'app:1', build: null, ports: ['80:80'], dependsOn: ['db'] },
      { name: 'worker', line: 8, image: 'app:1', build: null, ports: [], dependsOn: ['db'] },
      { name: 'db', line: 9, image: 'postgres:16', build: null, ports: [], dependsOn: [] },
    ]);
  });

  it('Kubernetes: each document (after comments, ---, ...) with its first line; List items; block scalars', () => {
    const text = lines('# deploy', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: conf}', 'data:', '  run.sh: |', '    echo one', '...', '---', '---', 'apiVersion: v1', 'kind: List', 'items:', '- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{image: busybox}]}}');
    expect(readKubernetes('k8s.yaml', text).map((r) => `${r.kind} ${r.name} :${r.line} ${r.images.join(',')}`)).toEqual(['ConfigMap conf :2 ', 'Pod p :11 busybox']);
  });

  it('a syntax error is one line naming where it is; a template is read as far as it goes', () => {
    expect(() => compose('services:', '  web:', '      image: a', '    ports: []')).toThrow(/^not valid YAML: line 4: All mapping items must start at the same column$/);
    expect(() => compose('services:', '  web:', '\timage: a')).toThrow(/^not valid YAML: line 3: Tabs are not allowed as indentation/);
    expect(() => readKubernetes('k8s.yaml', lines('apiVersion: v1', 'kind: Service', 'metadata: {name: [x}'))).toThrow(/^not valid YAML: line 3: /);
    const helm = lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: {{ .Release.Name }}', '  namespace: "{{ .Release.Namespace }}"');
    expect(readKubernetes('chart/templates/svc.yaml', helm)).toMatchObject([{ kind: 'Service', name: null, namespace: '{{ .Release.Namespace }}' }]);
  });

  it('refuses an alias bomb and an alias without its anchor', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`), 'services: {web: {image: *e}}'];
    expect(() => compose(...laughs)).toThrow('Excessive alias count indicates a resource exhaustion attack');
    expect(() => compose('services:', '  web: *nowhere')).toThrow('Unresolved alias (the anchor must be set before the alias): nowhere');
  });

  it('an OpenAPI version keeps its text (2.0 stays 2.0)', () => {
    expect(schemaIn('swagger.yaml', lines('swagger: 2.0', 'info: {title: Legacy}', 'paths: {}'))).toMatchObject({ kind: 'swagger', version: '2.0', title: 'Legacy', count: 0 });
  });
});

describe('TOML manifests (smol-toml)', () => {
  it('dotted and quoted keys, inline tables, multi-line strings and arrays with comments, arrays of tables', () => {
    const stack = readStack(
      'Cargo.toml',
      lines(
        '[package]',
        'name = "svc"',
        'description = """',
        'multi"""',
        '[dependencies]',
        'tokio = { version = "1", features = ["full"] }',
        'serde.workspace = true',
        '"quoted-key" = "1"',
        '[[bin]]',
        'name = "a"',
        '[[bin]]',
        'name = "b"',
        '[workspace]',
        'members = [',
        '  "crates/a", # first',
        '  "crates/b",',
        ']',
      ),
    )!;
    expect(stack).toMatchObject({ name: 'svc', notes: ['workspace members: crates/a, crates/b'], dependencies: { total: 3, runtime: 3, groups: { dependencies: 3 } } });
  });

  it('dates and integers past 2^53 are read like any value', () => {
    const stack = readStack('pyproject.toml', lines('[project]', 'name = "etl"', 'dependencies = ["flask"]', '[tool.release]', 'date = 1979-05-27', 'build = 99999999999999999999'))!;
    expect(stack).toMatchObject({ name: 'etl', dependencies: { total: 1 }, notes: [] });
  });

  it('a file that is not valid TOML is one note with the line, and nothing is counted', () => {
    expect(readStack('pyproject.toml', lines('[project]', 'name = "etl"', 'this is not toml'))).toMatchObject({
      name: null,
      dependencies: { total: null, runtime: null, dev: null, groups: {} },
      notes: ['not valid TOML (line 3: illegal character in key): dependencies not counted'],
    });
    expect(readStack('Cargo.toml', lines('[dependencies]', 'a = "1"', '[dependencies]', 'b = "2"'))!.notes).toEqual(['not valid TOML (line 3: trying to redefine an already defined table or value): dependencies not counted']);
  });
});
