// The Aspire app host reader: resources, variables and WithReference links as the C# states them.
import { describe, expect, it } from 'vitest';
import { readAspireHost } from '../../../shared/tools/architecture/aspire.js';

describe('readAspireHost', () => {
  it('chained and separate AddDatabase, comments and URLs in strings, references on a later statement', () => {
    const host = readAspireHost(
      'AppHost/AppHost.cs',
      [
        'var app = DistributedApplication.CreateBuilder(args);',
        '// var old = app.AddRedis("old-cache");',
        'var ordersDb = app.AddPostgres("pg")',
        '    .WithDataVolume()',
        '    .AddDatabase("orders");',
        'var mq = app.AddRabbitMQ("messaging"); /* the bus */',
        'var api = app.AddProject<Projects.Orders_Api>("orders-api")',
        '    .WithEnvironment("DOCS", "https://example.com/docs") // not a comment inside the string',
        '    .WithReference(ordersDb);',
        'api.WithReference(mq);',
        'app.Build().Run();',
        '',
      ].join('\n'),
    );
    expect(host?.resources.map((r) => `${r.call} ${r.name} ${r.detail ?? ''} :${r.line}`)).toEqual(['AddPostgres pg  :3', 'AddRabbitMQ messaging  :6', 'AddProject orders-api Projects.Orders_Api :7']);
    expect(host?.references.map((r) => `${r.from.name} -> ${r.target} :${r.line}`)).toEqual(['orders-api -> ordersDb :9', 'orders-api -> mq :10']);
    expect(host?.variables.get('ordersDb')?.name).toBe('pg');
    expect(host?.databases.get('ordersDb')).toBe('orders');
  });

  it('a C# file that is not an app host gives nothing', () => {
    expect(readAspireHost('Program.cs', 'var builder = WebApplication.CreateBuilder(args);\nbuilder.AddRedisClient("cache");\n')).toBeNull();
  });
});
