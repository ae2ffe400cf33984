// Databases, caches, message brokers and search engines, recognised by what the configuration names:
// a container image, the scheme of an address, an Aspire hosting call. Nothing is guessed from a name alone.
import type { GraphNode } from './types.js';

export type StoreRole = Exclude<GraphNode['role'], 'service'>;
export interface Store {
  technology: string;
  role: StoreRole;
}

// [the last path segment of an image, without tag, matches; technology; role]
const IMAGES: [RegExp, string, StoreRole][] = [
  [/^(postgres|postgresql|postgis|timescaledb(-ha)?|pgvector|cloudsql-proxy|alloydb-omni)$/, 'PostgreSQL', 'database'],
  [/^(mysql|mysql-server|percona(-server)?)$/, 'MySQL', 'database'],
  [/^mariadb$/, 'MariaDB', 'database'],
  [/^(mongo|mongodb|mongodb-community-server)$/, 'MongoDB', 'database'],
  [/^(mssql-server|mssql\/server|sql-server|azure-sql-edge)$/, 'SQL Server', 'database'],
  [/^(cassandra|scylla)$/, 'Cassandra', 'database'],
  [/^(cockroach|cockroachdb)$/, 'CockroachDB', 'database'],
  [/^(spanner-emulator|cloud-spanner-emulator)$/, 'Spanner', 'database'],
  [/^(couchdb|couchbase|couchbase-server)$/, 'CouchDB/Couchbase', 'database'],
  [/^(neo4j)$/, 'Neo4j', 'database'],
  [/^(clickhouse|clickhouse-server)$/, 'ClickHouse', 'database'],
  [/^(influxdb)$/, 'InfluxDB', 'database'],
  [/^(redis|redis-stack|redis-stack-server|valkey|keydb|dragonfly)$/, 'Redis', 'cache'],
  [/^memcached$/, 'Memcached', 'cache'],
  [/^(rabbitmq)$/, 'RabbitMQ', 'broker'],
  [/^(kafka|cp-kafka|cp-server|redpanda|kafka-native)$/, 'Kafka', 'broker'],
  [/^(nats|nats-streaming)$/, 'NATS', 'broker'],
  [/^(activemq|activemq-artemis|artemis)$/, 'ActiveMQ', 'broker'],
  [/^(pulsar|pulsar-all)$/, 'Pulsar', 'broker'],
  [/^(eclipse-mosquitto|mosquitto|emqx|hivemq4)$/, 'MQTT broker', 'broker'],
  [/^(zookeeper|cp-zookeeper)$/, 'ZooKeeper', 'database'],
  [/^(elasticsearch|opensearch)$/, 'Elasticsearch', 'search'],
  [/^(meilisearch|typesense|solr)$/, 'Search engine', 'search'],
];

/** The store an image runs (`postgres:16`, `bitnami/redis:7`, `docker.io/library/mongo@sha256:...`); undefined for others. */
export function storeOfImage(image: string | null | undefined): Store | undefined {
  if (!image) return undefined;
  const path = image.split('@')[0]!.replace(/:[^/:]*$/, '').toLowerCase();
  const segments = path.split('/');
  const last = segments[segments.length - 1]!;
  const lastTwo = segments.slice(-2).join('/');
  for (const [pattern, technology, role] of IMAGES) if (pattern.test(last) || pattern.test(lastTwo)) return { technology, role };
  return undefined;
}

const SCHEMES: Record<string, Store> = {
  postgres: { technology: 'PostgreSQL', role: 'database' },
  postgresql: { technology: 'PostgreSQL', role: 'database' },
  mysql: { technology: 'MySQL', role: 'database' },
  mariadb: { technology: 'MariaDB', role: 'database' },
  mongodb: { technology: 'MongoDB', role: 'database' },
  'mongodb+srv': { technology: 'MongoDB', role: 'database' },
  sqlserver: { technology: 'SQL Server', role: 'database' },
  redis: { technology: 'Redis', role: 'cache' },
  rediss: { technology: 'Redis', role: 'cache' },
  amqp: { technology: 'RabbitMQ', role: 'broker' },
  amqps: { technology: 'RabbitMQ', role: 'broker' },
  kafka: { technology: 'Kafka', role: 'broker' },
  nats: { technology: 'NATS', role: 'broker' },
  mqtt: { technology: 'MQTT broker', role: 'broker' },
};

/** The store an address's scheme names (`postgres://...`, `amqp://...`); undefined for http and others. */
export function storeOfScheme(scheme: string): Store | undefined {
  return SCHEMES[scheme.toLowerCase().replace(/\+(asyncpg|psycopg2?|pymysql|aiomysql)$/, '')];
}

const ASPIRE: Record<string, Store> = {
  AddPostgres: SCHEMES.postgres!,
  AddAzurePostgresFlexibleServer: SCHEMES.postgres!,
  AddMySql: SCHEMES.mysql!,
  AddSqlServer: SCHEMES.sqlserver!,
  AddAzureSqlServer: SCHEMES.sqlserver!,
  AddMongoDB: SCHEMES.mongodb!,
  AddOracle: { technology: 'Oracle', role: 'database' },
  AddAzureCosmosDB: { technology: 'Cosmos DB', role: 'database' },
  AddRedis: SCHEMES.redis!,
  AddAzureRedis: SCHEMES.redis!,
  AddGarnet: SCHEMES.redis!,
  AddValkey: SCHEMES.redis!,
  AddRabbitMQ: SCHEMES.amqp!,
  AddKafka: SCHEMES.kafka!,
  AddNats: SCHEMES.nats!,
  AddAzureServiceBus: { technology: 'Azure Service Bus', role: 'broker' },
  AddAzureEventHubs: { technology: 'Azure Event Hubs', role: 'broker' },
  AddElasticsearch: { technology: 'Elasticsearch', role: 'search' },
  AddMilvus: { technology: 'Milvus', role: 'database' },
  AddQdrant: { technology: 'Qdrant', role: 'database' },
};

/** The store an Aspire hosting call adds (`AddPostgres`, `AddRabbitMQ`...); undefined for AddProject and others. */
export function storeOfAspireCall(call: string): Store | undefined {
  return ASPIRE[call];
}

export const BROKERS_LOOKED_FOR = 'RabbitMQ, Kafka, NATS, ActiveMQ, Pulsar, MQTT images; amqp://, kafka://, nats://, mqtt:// addresses; Aspire AddRabbitMQ, AddKafka, AddNats, AddAzureServiceBus';
