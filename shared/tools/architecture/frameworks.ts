// Well-known frameworks and infrastructure libraries, recognised by the dependency names a manifest
// declares (exact names, or prefixes ending in '*'). Only what the manifest names: nothing inferred.
import type { Stack } from './types.js';

type Table = ReadonlyArray<readonly [pattern: string, label: string]>;

const TABLES: Record<Stack['ecosystem'], Table> = {
  npm: [
    ['express', 'Express'],
    ['fastify', 'Fastify'],
    ['koa', 'Koa'],
    ['@nestjs/core', 'NestJS'],
    ['hono', 'Hono'],
    ['next', 'Next.js'],
    ['nuxt', 'Nuxt'],
    ['react', 'React'],
    ['vue', 'Vue'],
    ['@angular/core', 'Angular'],
    ['svelte', 'Svelte'],
    ['@sveltejs/kit', 'SvelteKit'],
    ['@remix-run/*', 'Remix'],
    ['electron', 'Electron'],
    ['graphql', 'GraphQL'],
    ['@apollo/server', 'Apollo Server'],
    ['apollo-server*', 'Apollo Server'],
    ['@trpc/server', 'tRPC'],
    ['socket.io', 'Socket.IO'],
    ['@prisma/client', 'Prisma'],
    ['prisma', 'Prisma'],
    ['typeorm', 'TypeORM'],
    ['sequelize', 'Sequelize'],
    ['drizzle-orm', 'Drizzle'],
    ['mongoose', 'Mongoose'],
    ['pg', 'PostgreSQL client'],
    ['mysql2', 'MySQL client'],
    ['ioredis', 'Redis client'],
    ['redis', 'Redis client'],
    ['kafkajs', 'Kafka client'],
    ['amqplib', 'RabbitMQ client'],
    ['bullmq', 'BullMQ'],
  ],
  python: [
    ['django', 'Django'],
    ['djangorestframework', 'Django REST framework'],
    ['flask', 'Flask'],
    ['fastapi', 'FastAPI'],
    ['starlette', 'Starlette'],
    ['aiohttp', 'aiohttp'],
    ['tornado', 'Tornado'],
    ['sqlalchemy', 'SQLAlchemy'],
    ['flask-sqlalchemy', 'SQLAlchemy'],
    ['sqlmodel', 'SQLModel'],
    ['alembic', 'Alembic'],
    ['pydantic', 'Pydantic'],
    ['celery', 'Celery'],
    ['grpcio', 'gRPC'],
    ['psycopg', 'PostgreSQL client'],
    ['psycopg2', 'PostgreSQL client'],
    ['psycopg2-binary', 'PostgreSQL client'],
    ['asyncpg', 'PostgreSQL client'],
    ['redis', 'Redis client'],
    ['kafka-python', 'Kafka client'],
    ['confluent-kafka', 'Kafka client'],
    ['pika', 'RabbitMQ client'],
    ['uvicorn', 'Uvicorn'],
    ['gunicorn', 'Gunicorn'],
    ['torch', 'PyTorch'],
    ['tensorflow', 'TensorFlow'],
  ],
  go: [
    ['github.com/gin-gonic/gin', 'Gin'],
    ['github.com/labstack/echo*', 'Echo'],
    ['github.com/go-chi/chi*', 'chi'],
    ['github.com/gorilla/mux', 'gorilla/mux'],
    ['github.com/gofiber/fiber*', 'Fiber'],
    ['gorm.io/gorm', 'GORM'],
    ['google.golang.org/grpc', 'gRPC'],
    ['github.com/jackc/pgx*', 'PostgreSQL client'],
    ['github.com/lib/pq', 'PostgreSQL client'],
    ['github.com/redis/go-redis*', 'Redis client'],
    ['github.com/segmentio/kafka-go', 'Kafka client'],
  ],
  cargo: [
    ['actix-web', 'Actix Web'],
    ['axum', 'Axum'],
    ['rocket', 'Rocket'],
    ['warp', 'warp'],
    ['tokio', 'Tokio'],
    ['tonic', 'tonic (gRPC)'],
    ['diesel', 'Diesel'],
    ['sqlx', 'SQLx'],
    ['sea-orm', 'SeaORM'],
  ],
  maven: [
    ['spring-boot-starter-web', 'Spring Web MVC'],
    ['spring-boot-starter-webflux', 'Spring WebFlux'],
    ['spring-boot-starter-data-jpa', 'Spring Data JPA'],
    ['spring-boot*', 'Spring Boot'],
    ['quarkus-*', 'Quarkus'],
    ['micronaut-*', 'Micronaut'],
    ['hibernate-core', 'Hibernate'],
    ['ktor-server-*', 'Ktor'],
    ['kafka-clients', 'Kafka client'],
  ],
  gradle: [],
  bundler: [
    ['rails', 'Rails'],
    ['sinatra', 'Sinatra'],
    ['grape', 'Grape'],
    ['activerecord', 'Active Record'],
    ['sidekiq', 'Sidekiq'],
    ['puma', 'Puma'],
    ['pg', 'PostgreSQL client'],
    ['redis', 'Redis client'],
  ],
  composer: [
    ['laravel/framework', 'Laravel'],
    ['symfony/framework-bundle', 'Symfony'],
    ['slim/slim', 'Slim'],
    ['doctrine/orm', 'Doctrine ORM'],
  ],
  nuget: [
    ['Microsoft.NET.Sdk.Web', 'ASP.NET Core'],
    ['Microsoft.AspNetCore.*', 'ASP.NET Core'],
    ['Microsoft.EntityFrameworkCore*', 'Entity Framework Core'],
    ['Grpc.AspNetCore', 'gRPC'],
  ],
};
TABLES.gradle = TABLES.maven;

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** Labels of the known frameworks among `names`, once each, in the table's order. */
export function frameworksFor(ecosystem: Stack['ecosystem'], names: readonly string[]): string[] {
  const wanted = ecosystem === 'python' ? names.map((n) => n.toLowerCase().replace(/[._]/g, '-')) : names;
  const found: string[] = [];
  for (const [pattern, label] of TABLES[ecosystem]) {
    if (!found.includes(label) && wanted.some((name) => matches(pattern, name))) found.push(label);
  }
  return found;
}

/** Frameworks recognised in manifests whose routes this tool does not read. */
const ROUTES_NOT_READ = new Set(['Nuxt', 'SvelteKit', 'Remix', 'aiohttp', 'Tornado', 'Actix Web', 'Axum', 'Rocket', 'warp', 'Micronaut', 'Ktor', 'Grape', 'Slim', 'Spring WebFlux']);
/** Libraries recognised in manifests whose models this tool does not read. */
const MODELS_NOT_READ = new Set(['Drizzle', 'Diesel', 'SQLx', 'SeaORM', 'Doctrine ORM', 'Laravel']);

/**
 * One note per framework a manifest declares whose routes or models are not read, so that "none
 * found" is not taken for "none exist". Spring WebFlux: annotated controllers are read, functional
 * `RouterFunction` routes are not.
 */
export function unreadFrameworkNotes(stacks: readonly Stack[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const stack of stacks) {
    for (const label of stack.frameworks) {
      if (seen.has(label)) continue;
      if (ROUTES_NOT_READ.has(label)) {
        seen.add(label);
        const what = label === 'Spring WebFlux' ? 'functional routes (RouterFunction) are not read, only annotated controllers' : 'its routes are not read';
        notes.push(`${stack.manifest}: declares ${label}: ${what}, so the routes listed may not be all of them`);
      } else if (MODELS_NOT_READ.has(label)) {
        seen.add(label);
        const what = label === 'Laravel' ? 'its Eloquent models are not read' : 'its models are not read';
        notes.push(`${stack.manifest}: declares ${label}: ${what}, so the models listed may not be all of them`);
      }
    }
  }
  return notes;
}
