// Which environment values name an address, and which do not (unit tests of the graph's reader).
import { describe, expect, it } from 'vitest';
import { addressesIn } from '../../../shared/tools/architecture/graph.js';
import { storeOfImage } from '../../../shared/tools/architecture/stores.js';

describe('addressesIn', () => {
  it('URLs, host:port, lists, and a bare host only when the name says it is one', () => {
    expect(addressesIn('CART_SERVICE_ADDR', 'cartservice:7070')).toEqual([{ host: 'cartservice', scheme: null, path: null }]);
    expect(addressesIn('API_URL', 'http://api.shop.svc.cluster.local:8080/v1')).toEqual([{ host: 'api.shop.svc.cluster.local', scheme: 'http', path: 'v1' }]);
    expect(addressesIn('DATABASE_URL', 'postgresql+asyncpg://app:${DB_PASSWORD}@db:5432/orders?sslmode=disable')).toEqual([{ host: 'db', scheme: 'postgresql+asyncpg', path: 'orders' }]);
    expect(addressesIn('MONGO_URI', 'mongodb+srv://u:p@cluster0.example.net/shop')).toEqual([{ host: 'cluster0.example.net', scheme: 'mongodb+srv', path: 'shop' }]);
    expect(addressesIn('KAFKA_BROKERS', 'kafka-0:9092,kafka-1:9092')).toEqual([
      { host: 'kafka-0', scheme: null, path: null },
      { host: 'kafka-1', scheme: null, path: null },
    ]);
    expect(addressesIn('REDIS_HOST', 'redis')).toEqual([{ host: 'redis', scheme: null, path: null }]);
    expect(addressesIn('LOG_LEVEL', 'debug')).toEqual([]);
  });

  it('JDBC URLs and .NET connection strings', () => {
    expect(addressesIn('SPRING_DATASOURCE_URL', 'jdbc:postgresql://db:5432/petclinic')).toEqual([{ host: 'db', scheme: 'postgresql', path: 'petclinic' }]);
    expect(addressesIn('SPRING_DATASOURCE_URL', 'jdbc:mysql://mysql/petclinic?useSSL=false')).toEqual([{ host: 'mysql', scheme: 'mysql', path: 'petclinic' }]);
    expect(addressesIn('ConnectionStrings__CatalogDb', 'Host=postgres;Port=5432;Database=catalog;Username=app;Password=${PW}')).toEqual([{ host: 'postgres', scheme: null, path: 'catalog' }]);
    expect(addressesIn('ConnectionStrings__Default', 'Server=tcp:sqldata,1433;Initial Catalog=orders;User Id=sa;Password=Pass@word')).toEqual([{ host: 'sqldata', scheme: null, path: 'orders' }]);
    expect(addressesIn('ConnectionStrings__Local', 'Data Source=localhost;Initial Catalog=x')).toEqual([]);
  });

  it('not addresses: local hosts, IPs, an interpolated host, templates, plain values', () => {
    expect(addressesIn('API_URL', 'http://localhost:8000')).toEqual([]);
    expect(addressesIn('DB_HOST', '10.0.0.12')).toEqual([]);
    expect(addressesIn('DB_ADDR', '${DB_HOST}:5432')).toEqual([]);
    expect(addressesIn('DB_URL', 'postgres://$(USER)@$(HOST)/app')).toEqual([]);
    expect(addressesIn('API_URL', '{{ .Values.api.url }}')).toEqual([]);
    expect(addressesIn('TIMEOUT', '30s')).toEqual([]);
    expect(addressesIn('PORT', '8080')).toEqual([]);
  });
});

describe('storeOfImage', () => {
  it('recognises stores and brokers under any registry, path, tag or digest', () => {
    expect(storeOfImage('postgres:16')).toEqual({ technology: 'PostgreSQL', role: 'database' });
    expect(storeOfImage('docker.io/bitnami/redis:7.2@sha256:abc')).toEqual({ technology: 'Redis', role: 'cache' });
    expect(storeOfImage('confluentinc/cp-kafka:7.6.0')).toEqual({ technology: 'Kafka', role: 'broker' });
    expect(storeOfImage('mcr.microsoft.com/mssql/server:2022-latest')).toEqual({ technology: 'SQL Server', role: 'database' });
    expect(storeOfImage('rabbitmq:3-management')).toEqual({ technology: 'RabbitMQ', role: 'broker' });
    expect(storeOfImage('ghcr.io/acme/postgres-exporter:1')).toBeUndefined();
    expect(storeOfImage('redis-cart-service')).toBeUndefined();
    expect(storeOfImage(null)).toBeUndefined();
  });
});
