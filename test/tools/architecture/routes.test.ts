// Routes as real codebases write them: calls over several lines (Prettier, Black), prefixes set in
// another file (Express app.use of an imported router, FastAPI include_router, gin groups handed to
// functions, ASP.NET Core MapGroup), constants in paths, ASP.NET Core minimal APIs and controllers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { routesIn } from '../../../shared/tools/architecture/routes.js';
import { analyze, facts, writeTree } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function sample(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'routes-'));
  dirs.push(dir);
  return writeTree(dir, files);
}
const lines = (...text: string[]) => `${text.join('\n')}\n`;
interface R {
  method: string;
  path: string;
  file: string;
  line: number;
  parts?: Array<{ path: string; file: string; line: number }>;
}
const short = (routes: R[]) => routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`);
const where = (r: R) => (r.parts ?? []).map((p) => `${p.path}@${p.file}:${p.line}`);

describe('Express', () => {
  const files = {
    'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
    'src/app.js': lines(
      "const express = require('express');",
      "const api = require('./routes');",
      'const app = express();',
      "app.use('/api', api);",
      'app.get(',
      "  '/health',",
      '  (req, res) => res.send("ok"),',
      ');',
    ),
    'src/routes/index.js': lines(
      "const router = require('express').Router();",
      "const articles = require('./articles');",
      "const { profiles } = require('./profiles');",
      "router.use('/articles', articles);",
      "router.use('/profiles', profiles);",
      'module.exports = router;',
    ),
    'src/routes/articles.ts': lines(
      "import { Router } from 'express';",
      'const router = Router();',
      'router.get(',
      "  '/',",
      '  auth.optional,',
      '  async (req, res) => {},',
      ');',
      'router',
      "  .route('/:slug')",
      '  .get(show)',
      '  .delete(remove);',
      'export default router;',
    ),
    'src/routes/profiles.ts': lines(
      "import express from 'express';",
      'export const profiles = express.Router();',
      "const BASE = '/:username';",
      'profiles.post(BASE + "/follow", follow);',
      'profiles.get(`${BASE}/posts`, posts);',
    ),
  };

  it('joins the prefixes of routers mounted from other files, with each part where it is written', () => {
    const f = facts(sample(files));
    expect(short(f.routes)).toEqual([
      'GET /health src/app.js:5',
      'GET /api/articles src/routes/articles.ts:3',
      'GET /api/articles/:slug src/routes/articles.ts:9',
      'DELETE /api/articles/:slug src/routes/articles.ts:9',
      'POST /api/profiles/:username/follow src/routes/profiles.ts:4',
      'GET /api/profiles/:username/posts src/routes/profiles.ts:5',
    ]);
    const follow = f.routes.find((r: R) => r.path === '/api/profiles/:username/follow');
    expect(where(follow)).toEqual(['/api@src/app.js:4', '/profiles@src/routes/index.js:5', '/:username/follow@src/routes/profiles.ts:4']);
  });

  it('the text report gives each route its full path and the prefixes written elsewhere', () => {
    const text = analyze([], sample(files)).stdout;
    expect(text).toMatch(/POST +\/api\/profiles\/:username\/follow +express +src\/routes\/profiles\.ts:4 \(prefixes: \/api src\/app\.js:4, \/profiles src\/routes\/index\.js:5\)\n/);
    expect(text).toMatch(/GET +\/health +express +src\/app\.js:5\n/);
  });

  it('a router mounted twice has both full paths; an unresolved mount stays a MOUNT line', () => {
    const f = facts(
      sample({
        'server.js': lines("const express = require('express');", "const v = require('./v');", 'const app = express();', "app.use('/v1', v);", "app.use('/v2', v);", "app.use('/static', express.static('public'));"),
        'v.js': lines("const router = require('express').Router();", "router.get('/items', list);", 'module.exports = router;'),
      }),
    );
    expect(short(f.routes)).toEqual(['MOUNT /static server.js:6', 'GET /v1/items v.js:2', 'GET /v2/items v.js:2']);
  });
});

describe('FastAPI', () => {
  const files = {
    'backend/pyproject.toml': lines('[project]', 'name = "app"', 'dependencies = ["fastapi", "sqlmodel"]'),
    'backend/app/core/config.py': lines('class Settings(BaseSettings):', '    API_V1_STR: str = "/api/v1"', 'settings = Settings()'),
    'backend/app/main.py': lines('from fastapi import FastAPI', 'from app.api.main import api_router', 'from app.core.config import settings', 'app = FastAPI()', 'app.include_router(api_router, prefix=settings.API_V1_STR)'),
    'backend/app/api/main.py': lines(
      'from fastapi import APIRouter',
      'from app.api.routes import items, login',
      'from app.api.routes.users import router as users_router',
      'api_router = APIRouter()',
      'api_router.include_router(login.router)',
      'api_router.include_router(items.router)',
      'api_router.include_router(users_router, prefix="/users", tags=["users"])',
    ),
    'backend/app/api/routes/items.py': lines(
      'from fastapi import APIRouter',
      'router = APIRouter(',
      '    prefix="/items",',
      '    tags=["items"],',
      ')',
      '@router.get(',
      '    "/",',
      '    response_model=ItemsPublic,',
      ')',
      'def read_items(): ...',
      '@router.get("/{id}", response_model=ItemPublic)',
      'def read_item(id: int): ...',
      '@router.api_route(',
      '    "/{id}/touch", methods=["PUT", "PATCH"]',
      ')',
      'def touch(): ...',
    ),
    'backend/app/api/routes/login.py': lines('from fastapi import APIRouter', 'router = APIRouter(tags=["login"])', '@router.post("/login/access-token")', 'def login(): ...'),
    'backend/app/api/routes/users.py': lines('from fastapi import APIRouter', 'router = APIRouter()', '@router.get(', '    "/me",', ')', 'def me(): ...'),
  };

  it('include_router prefixes, APIRouter(prefix=), a prefix named by a settings constant, decorators over several lines', () => {
    const f = facts(sample(files));
    expect(short(f.routes)).toEqual([
      'GET /api/v1/items/ backend/app/api/routes/items.py:6',
      'GET /api/v1/items/{id} backend/app/api/routes/items.py:11',
      'PUT /api/v1/items/{id}/touch backend/app/api/routes/items.py:13',
      'PATCH /api/v1/items/{id}/touch backend/app/api/routes/items.py:13',
      'POST /api/v1/login/access-token backend/app/api/routes/login.py:3',
      'GET /api/v1/users/me backend/app/api/routes/users.py:3',
    ]);
    const item = f.routes.find((r: R) => r.path === '/api/v1/items/{id}');
    expect(where(item)).toEqual(['/api/v1@backend/app/main.py:5', '/items@backend/app/api/routes/items.py:2', '/{id}@backend/app/api/routes/items.py:11']);
  });
});

describe('gin across files', () => {
  it('groups handed to register functions in other packages', () => {
    const f = facts(
      sample({
        'go.mod': 'module example.com/realworld\n\nrequire github.com/gin-gonic/gin v1.9.1\n',
        'main.go': lines(
          'package main',
          'import (',
          '\t"github.com/gin-gonic/gin"',
          '\t"example.com/realworld/users"',
          ')',
          'func main() {',
          '\tr := gin.Default()',
          '\tv1 := r.Group("/api")',
          '\tusers.UsersRegister(v1.Group("/users"))',
          '\tusers.ProfileRegister(v1.Group("/profiles"))',
          '\tr.Run()',
          '}',
        ),
        'users/routers.go': lines(
          'package users',
          'import "github.com/gin-gonic/gin"',
          'func UsersRegister(router *gin.RouterGroup) {',
          '\trouter.POST("/", UsersRegistration)',
          '\trouter.POST("/login", UsersLogin)',
          '}',
          'func ProfileRegister(router *gin.RouterGroup) {',
          '\trouter.GET("/:username", ProfileRetrieve)',
          '}',
        ),
      }),
    );
    expect(short(f.routes)).toEqual(['POST /api/users/ users/routers.go:4', 'POST /api/users/login users/routers.go:5', 'GET /api/profiles/:username users/routers.go:8']);
    expect(where(f.routes[1])).toEqual(['/api@main.go:8', '/users@main.go:9', '/login@users/routers.go:5']);
  });
});

describe('ASP.NET Core', () => {
  it('minimal APIs: MapGet over several lines, MapGroup prefixes, groups handed to extension methods in other files', () => {
    const f = facts(
      sample({
        'Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
        'Api/Program.cs': lines(
          'var builder = WebApplication.CreateBuilder(args);',
          'var app = builder.Build();',
          'app.MapGet("/", () => "Hello");',
          'var api = app.MapGroup("/api");',
          'api.MapPost(',
          '    "/orders",',
          '    (Order o) => Results.Created());',
          'app.MapGroup("/todos").MapTodosApi();',
          'app.MapDefaultEndpoints();',
          'app.Run();',
        ),
        'Api/TodoEndpoints.cs': lines(
          'public static class TodoEndpoints',
          '{',
          '    public static RouteGroupBuilder MapTodosApi(this RouteGroupBuilder group)',
          '    {',
          '        group.MapGet("/", GetAll);',
          '        group.MapGet("/{id:int}", GetById).WithName("GetTodo");',
          '        group.MapMethods("/{id}", new[] { "PUT", "PATCH" }, Update);',
          '        return group;',
          '    }',
          '}',
        ),
      }),
    );
    expect(short(f.routes)).toEqual([
      'GET / Api/Program.cs:3',
      'POST /api/orders Api/Program.cs:5',
      'GET /todos Api/TodoEndpoints.cs:5',
      'GET /todos/{id:int} Api/TodoEndpoints.cs:6',
      'PUT /todos/{id} Api/TodoEndpoints.cs:7',
      'PATCH /todos/{id} Api/TodoEndpoints.cs:7',
    ]);
    expect(f.routes.every((r: { framework: string }) => r.framework === 'aspnetcore')).toBe(true);
    expect(where(f.routes[3])).toEqual(['/todos@Api/Program.cs:8', '/{id:int}@Api/TodoEndpoints.cs:6']);
  });

  it('Blazor @page directives and Razor Pages (a bare @page routes by its path under Pages/)', () => {
    expect(short(routesIn('WebApp/Components/Pages/Item/ItemPage.razor', lines('@page "/item/{itemId:int}"', '@inject CatalogService Catalog'), []) as R[])).toEqual(['PAGE /item/{itemId:int} WebApp/Components/Pages/Item/ItemPage.razor:1']);
    expect(short(routesIn('Identity/Pages/Account/Index.cshtml', lines('@page', '@model IndexModel'), []) as R[])).toEqual(['PAGE /Account Identity/Pages/Account/Index.cshtml:1']);
    expect(short(routesIn('Identity/Pages/Account/Login.cshtml', lines('@page "{handler?}"'), []) as R[])).toEqual(['PAGE /Account/Login/{handler?} Identity/Pages/Account/Login.cshtml:1']);
  });

  it('controllers: [Route] on the class with [controller], [HttpGet("{id}")], [action], an absolute template', () => {
    const cs = lines(
      'namespace Shop.Controllers;',
      '[ApiController]',
      '[Route("api/[controller]")]',
      'public class TodoItemsController : ControllerBase',
      '{',
      '    [HttpGet]',
      '    public async Task<ActionResult<IEnumerable<TodoItem>>> GetTodoItems() {}',
      '    [HttpGet("{id}")]',
      '    public async Task<ActionResult<TodoItem>> GetTodoItem(long id) {}',
      '    [HttpPost, Authorize]',
      '    public IActionResult Create(TodoItem item) {}',
      '    [HttpGet("[action]")]',
      '    public IActionResult Search() {}',
      '    [HttpDelete("/admin/purge")]',
      '    public IActionResult Purge() {}',
      '}',
    );
    expect(routesIn('Controllers/TodoItemsController.cs', cs, []).map((r) => `${r.method} ${r.path} :${r.line}`)).toEqual([
      'GET /api/TodoItems :6',
      'GET /api/TodoItems/{id} :8',
      'POST /api/TodoItems :10',
      'GET /api/TodoItems/Search :12',
      'DELETE /admin/purge :14',
    ]);
    expect(routesIn('Controllers/TodoItemsController.cs', cs, [])[1]!.parts).toEqual([
      { path: 'api/TodoItems', file: 'Controllers/TodoItemsController.cs', line: 3 },
      { path: '{id}', file: 'Controllers/TodoItemsController.cs', line: 8 },
    ]);
  });
});

describe('frameworks whose routes or models are not read', () => {
  it('a note says so, so that none found is not taken for none exist', () => {
    const dir = sample({ 'Cargo.toml': lines('[package]', 'name = "svc"', '[dependencies]', 'axum = "0.7"', 'diesel = "2"'), 'src/main.rs': 'fn main() {}\n' });
    const f = facts(dir);
    expect(f.notes).toEqual(expect.arrayContaining([
      'Cargo.toml: declares Axum: its routes are not read, so the routes listed may not be all of them',
      'Cargo.toml: declares Diesel: its models are not read, so the models listed may not be all of them',
    ]));
    expect(analyze([], dir).stdout).toContain('declares Axum: its routes are not read');
    const laravel = facts(sample({ 'composer.json': JSON.stringify({ require: { 'laravel/framework': '^11.0' } }) }));
    expect(laravel.notes).toContain('composer.json: declares Laravel: its Eloquent models are not read, so the models listed may not be all of them');
    // A framework whose routes and models are read gives no such note.
    expect(facts(sample({ 'requirements.txt': 'fastapi\nsqlalchemy\n' })).notes).toEqual([]);
  });
});

describe('Express routers built by chaining', () => {
  it('Router().use(a).use(b) and export default Router().use("/api", api), mounted with app.use(routes)', () => {
    const f = facts(
      sample({
        'src/app.ts': lines("import express from 'express';", "import routes from './routes/routes';", 'const app = express();', 'app.use(routes);'),
        'src/routes/routes.ts': lines(
          "import { Router } from 'express';",
          "import tagsController from './tag/tag.controller';",
          "import articlesController from './article/article.controller';",
          'const api = Router()',
          '  .use(tagsController)',
          '  .use(articlesController);',
          "export default Router().use('/api', api);",
        ),
        'src/routes/tag/tag.controller.ts': lines("import { Router } from 'express';", 'const router = Router();', "router.get('/tags', list);", 'export default router;'),
        'src/routes/article/article.controller.ts': lines(
          "import { Router } from 'express';",
          'const router = Router();',
          'router.get(',
          "  '/articles/feed',",
          '  auth.required,',
          '  async (req: Request, res: Response) => {},',
          ');',
          "router.post('/articles/:slug/comments', auth.required, create);",
          'export default router;',
        ),
      }),
    );
    expect(short(f.routes)).toEqual([
      'GET /api/articles/feed src/routes/article/article.controller.ts:3',
      'POST /api/articles/:slug/comments src/routes/article/article.controller.ts:8',
      'GET /api/tags src/routes/tag/tag.controller.ts:3',
    ]);
    expect(where(f.routes[2])).toEqual(['/api@src/routes/routes.ts:7', '/tags@src/routes/tag/tag.controller.ts:3']);
  });
});

describe('Fastify and Flask plugins mounted with a prefix', () => {
  it('fastify.register(plugin, { prefix }) and app.register_blueprint(bp, url_prefix=...)', () => {
    const f = facts(
      sample({
        'server.ts': lines("import Fastify from 'fastify';", "import users from './routes/users';", 'const app = Fastify();', "app.register(users, { prefix: '/users' });"),
        'routes/users.ts': lines("import { FastifyInstance } from 'fastify';", 'export default async function users(fastify: FastifyInstance) {', "  fastify.get('/:id', show);", '}'),
        'web/app.py': lines('from flask import Flask', 'from web.admin import bp', 'app = Flask(__name__)', 'app.register_blueprint(bp, url_prefix="/admin")'),
        'web/admin.py': lines('from flask import Blueprint', 'bp = Blueprint("admin", __name__)', '@bp.route("/stats")', 'def stats(): ...'),
      }),
    );
    expect(short(f.routes)).toEqual(['GET /users/:id routes/users.ts:3', 'GET /admin/stats web/admin.py:3']);
  });
});

describe('Django', () => {
  it("path('api/', include('shop.api.urls')): the included module's routes get the prefix", () => {
    const f = facts(
      sample({
        'shop/urls.py': lines('from django.urls import include, path', 'urlpatterns = [', "    path('admin/', admin.site.urls),", "    path('api/', include('shop.api.urls')),", ']'),
        'shop/api/urls.py': lines('from django.urls import path', 'urlpatterns = [', "    path('orders/<int:pk>/', views.order),", ']'),
      }),
    );
    expect(short(f.routes)).toEqual(['ANY /api/orders/<int:pk>/ shop/api/urls.py:3', 'ANY admin/ shop/urls.py:3']);
  });
});

describe('smaller forms', () => {
  it('a Go router handed to a method without a new prefix; an echo group', () => {
    const f = facts(
      sample({
        'cmd/api/main.go': lines('package main', 'import "github.com/labstack/echo/v4"', 'func main() {', '\te := echo.New()', '\tapi := e.Group("/api")', '\th.Register(api)', '}'),
        'internal/handler/routes.go': lines('package handler', 'import "github.com/labstack/echo/v4"', 'func (h *Handler) Register(g *echo.Group) {', '\tg.GET("/articles", h.Articles)', '}'),
      }),
    );
    expect(short(f.routes)).toEqual(['GET /api/articles internal/handler/routes.go:4']);
  });

  it('ASP.NET Core [AcceptVerbs] and a controller without a class route', () => {
    const cs = lines('public class HomeController : Controller', '{', '    [AcceptVerbs("GET", "POST", Route = "contact")]', '    public IActionResult Contact() {}', '    [HttpGet("/")]', '    public IActionResult Index() {}', '}');
    expect(routesIn('Controllers/HomeController.cs', cs, []).map((r) => `${r.method} ${r.path} :${r.line}`)).toEqual(['GET /contact :3', 'POST /contact :3', 'GET / :5']);
    // Without a template on the action or the class, conventional routing: {controller}/{action}.
    const account = lines('public class AccountController : Controller', '{', '    [HttpGet]', '    public async Task<IActionResult> LoginAsync(string returnUrl) {}', '    [HttpPost]', '    [ValidateAntiForgeryToken]', '    public async Task<IActionResult> Logout(LogoutInputModel model) {}', '}');
    expect(routesIn('Controllers/AccountController.cs', account, []).map((r) => `${r.method} ${r.path} :${r.line}`)).toEqual(['GET /Account/Login :3', 'POST /Account/Logout :5']);
    expect(routesIn('Endpoints.cs', lines('app.MapMethods("/check", [HttpMethods.Options], Check);'), []).map((r) => `${r.method} ${r.path}`)).toEqual(['OPTIONS /check']);
  });

  it('a name is a path only when it reads as a constant; an unknown constant stays visible as <NAME>', () => {
    const py = lines('from fastapi import FastAPI', 'app = FastAPI()', '@app.get(key)', 'def a(): ...', '@app.get(PREFIX + "/x")', 'def b(): ...');
    expect(routesIn('main.py', py, []).map((r) => `${r.method} ${r.path}`)).toEqual(['GET <PREFIX>/x']);
  });
});

describe('gorilla/mux as the microservices demo writes it', () => {
  it('paths joined to a base URL variable, methods as net/http constants, PathPrefix as a mount', () => {
    const go = lines(
      'package main',
      'import (',
      '\t"net/http"',
      '\t"github.com/gorilla/mux"',
      ')',
      'func main() {',
      '\tr := mux.NewRouter()',
      '\tr.HandleFunc(baseUrl+"/product/{id}", svc.productHandler).Methods(http.MethodGet, http.MethodHead)',
      '\tr.HandleFunc(baseUrl + "/cart", svc.addToCartHandler).Methods(http.MethodPost)',
      '\tr.PathPrefix(baseUrl + "/static/").Handler(fs)',
      '}',
    );
    expect(routesIn('src/frontend/main.go', go, []).map((r) => `${r.method} ${r.path} :${r.line}`)).toEqual([
      'GET <baseUrl>/product/{id} :8',
      'HEAD <baseUrl>/product/{id} :8',
      'POST <baseUrl>/cart :9',
      'MOUNT <baseUrl>/static/ :10',
    ]);
  });
});

describe('Django REST framework', () => {
  it('router.register viewsets as RESOURCES, under the include that mounts them', () => {
    const f = facts(
      sample({
        'shop/urls.py': lines('from django.urls import include, path', 'urlpatterns = [', "    path('api/v1/', include('shop.api.urls')),", ']'),
        'shop/api/urls.py': lines(
          'from django.urls import include, path',
          'from rest_framework import routers',
          'router = routers.DefaultRouter()',
          "router.register(r'orders', views.OrderViewSet)",
          "router.register('customers', views.CustomerViewSet, basename='customer')",
          'urlpatterns = [',
          "    path('health/', views.health),",
          "    path('', include(router.urls)),",
          ']',
        ),
      }),
    );
    expect(f.routes.map((r: R & { framework: string }) => `${r.method} ${r.path} ${r.framework} ${r.file}:${r.line}`)).toEqual([
      'RESOURCES /api/v1/orders django-rest-framework shop/api/urls.py:4',
      'RESOURCES /api/v1/customers django-rest-framework shop/api/urls.py:5',
      'ANY /api/v1/health/ django shop/api/urls.py:7',
    ]);
  });
});

describe('prefixes set once for a whole app or router', () => {
  it("NestJS app.setGlobalPrefix('api') reaches every controller; a Koa router made with a prefix", () => {
    const f = facts(
      sample({
        'src/main.ts': lines("import { NestFactory } from '@nestjs/core';", 'const app = await NestFactory.create(AppModule);', "app.setGlobalPrefix('api/v2');", 'await app.listen(3000);'),
        'src/cats/cats.controller.ts': lines("import { Controller, Get } from '@nestjs/common';", "@Controller('cats')", 'export class CatsController {', "  @Get(':id')", '  findOne() {}', '}'),
        'koa/users.js': lines("const Router = require('@koa/router');", "const router = new Router({ prefix: '/users' });", "router.get('/:id', show);"),
      }),
    );
    expect(short(f.routes)).toEqual(['GET /users/:id koa/users.js:3', 'GET /api/v2/cats/:id src/cats/cats.controller.ts:4']);
    expect(where(f.routes[1])).toEqual(['api/v2@src/main.ts:3', 'cats@src/cats/cats.controller.ts:2', ':id@src/cats/cats.controller.ts:4']);
  });
});

describe('chi sub-routers in closures', () => {
  it('r.Route("/api", func(r chi.Router) { ... }) nests its routes, and the closure ends where its braces do', () => {
    const go = lines(
      'package main',
      'import "github.com/go-chi/chi/v5"',
      'func routes() {',
      '\tr := chi.NewRouter()',
      '\tr.Route("/articles", func(r chi.Router) {',
      '\t\tr.Get("/", list)',
      '\t\tr.Route("/{slug}", func(r chi.Router) {',
      '\t\t\tr.Get("/", get)',
      '\t\t})',
      '\t})',
      '\tr.Get("/health", health)',
      '}',
    );
    expect(routesIn('main.go', go, []).map((r) => `${r.method} ${r.path} :${r.line}`)).toEqual(['GET /articles :6', 'GET /articles/{slug} :8', 'GET /health :11']);
  });
});

describe('pathological nesting', () => {
  it('thousands of nested sub-routers, and mounts that branch at every level, finish quickly', () => {
    const nested = `import "github.com/go-chi/chi/v5"\n${'r.Route("/a", func(r chi.Router) {\n'.repeat(3000)}r.Get("/x", h)\n${'})\n'.repeat(3000)}`;
    const started = Date.now();
    const routes = routesIn('deep.go', nested, []);
    expect(routes.find((r) => r.method === 'GET')!.path.startsWith('/a/a/')).toBe(true);
    // Each router mounted twice on the one above: 2^40 paths if nothing stopped it.
    const branching = ["const express = require('express');", 'const r0 = express.Router();'];
    for (let i = 1; i <= 40; i += 1) branching.push(`const r${i} = express.Router();`, `r${i - 1}.use('/a', r${i});`, `r${i - 1}.use('/b', r${i});`);
    branching.push("r40.get('/leaf', h);");
    const leaves = routesIn('branch.js', lines(...branching), []).filter((r) => r.method === 'GET');
    expect(leaves.length).toBeGreaterThan(0);
    expect(leaves.length).toBeLessThanOrEqual(16);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('Laravel groups', () => {
  it("Route::prefix('admin')->group(...) and Route::group(['prefix' => 'api'], ...), nested", () => {
    const php = lines(
      '<?php',
      "Route::get('/', [HomeController::class, 'index']);",
      "Route::middleware('auth')->prefix('admin')->group(function () {",
      "    Route::get('/users', [UserController::class, 'index']);",
      "    Route::group(['prefix' => 'reports', 'as' => 'reports.'], function () {",
      "        Route::post('export', [ReportController::class, 'export']);",
      '    });',
      '});',
      "Route::get('/about', [PageController::class, 'about']);",
      "Route::middleware('throttle')->post('/contact', [PageController::class, 'contact']);",
      "$name = $request->get('name');",
    );
    expect(routesIn('routes/web.php', php, []).map((r) => `${r.method} ${r.path} :${r.line}`)).toEqual(['GET / :2', 'GET /admin/users :4', 'POST /admin/reports/export :6', 'GET /about :9', 'POST /contact :10']);
    expect(routesIn('routes/web.php', php, [])[2]!.parts).toEqual([
      { path: 'admin', file: 'routes/web.php', line: 3 },
      { path: 'reports', file: 'routes/web.php', line: 5 },
      { path: 'export', file: 'routes/web.php', line: 6 },
    ]);
  });
});

describe('Symfony', () => {
  it('a class-level #[Route] is the prefix of its actions', () => {
    const php = lines('<?php', "#[Route('/blog', name: 'blog_')]", 'final class BlogController extends AbstractController', '{', "    #[Route('/{slug}', name: 'show', methods: ['GET'])]", '    public function show(): Response {}', '}');
    expect(routesIn('src/Controller/BlogController.php', php, []).map((r) => `${r.method} ${r.path} :${r.line}`)).toEqual(['GET /blog/{slug} :5']);
  });
});

describe('Python re-exports', () => {
  it("a router re-exported by a package's __init__.py is followed", () => {
    const f = facts(
      sample({
        'app/main.py': lines('from fastapi import FastAPI', 'from app.api import api_router', 'app = FastAPI()', 'app.include_router(api_router, prefix="/api")'),
        'app/api/__init__.py': lines('from .routes import api_router', '__all__ = ["api_router"]'),
        'app/api/routes.py': lines('from fastapi import APIRouter', 'api_router = APIRouter()', '@api_router.get("/ping")', 'def ping(): ...'),
      }),
    );
    expect(short(f.routes)).toEqual(['GET /api/ping app/api/routes.py:3']);
  });
});

describe('JavaScript barrels', () => {
  it("a router re-exported by an index file (export { default as users } from './users') is followed", () => {
    const f = facts(
      sample({
        'src/app.ts': lines("import express from 'express';", "import { users } from './routes';", 'const app = express();', "app.use('/users', users);"),
        'src/routes/index.ts': lines("export { default as users } from './users';"),
        'src/routes/users.ts': lines("import { Router } from 'express';", 'const router = Router();', "router.get('/:id', show);", 'export default router;'),
      }),
    );
    expect(short(f.routes)).toEqual(['GET /users/:id src/routes/users.ts:3']);
  });
});

describe('Spring Boot context path', () => {
  const controller = lines('import org.springframework.web.bind.annotation.*;', '@RestController', '@RequestMapping("/owners")', 'public class OwnerController {', '  @GetMapping("/{id}")', '  public Owner show() { return null; }', '}');
  it('server.servlet.context-path in application.properties or application.yml prefixes every controller; a profile file does not', () => {
    const fromProperties = facts(
      sample({
        'src/main/java/OwnerController.java': controller,
        'src/main/resources/application.properties': lines('spring.application.name=petclinic', 'server.servlet.context-path=/petclinic'),
        'src/main/resources/application-dev.properties': lines('server.servlet.context-path=/dev'),
      }),
    );
    expect(short(fromProperties.routes)).toEqual(['GET /petclinic/owners/{id} src/main/java/OwnerController.java:5']);
    expect(where(fromProperties.routes[0])[0]).toBe('/petclinic@src/main/resources/application.properties:2');
    const fromYaml = facts(sample({ 'src/main/java/OwnerController.java': controller, 'src/main/resources/application.yml': lines('server:', '  port: 8080', '  servlet:', '    context-path: /api', 'spring:', '  application:', '    name: x') }));
    expect(short(fromYaml.routes)).toEqual(['GET /api/owners/{id} src/main/java/OwnerController.java:5']);
    // Two services, each with its own context path.
    const services = facts(
      sample({
        'customers/src/main/java/OwnerController.java': controller,
        'customers/src/main/resources/application.properties': 'server.servlet.context-path=/customers\n',
        'vets/src/main/java/VetController.java': controller.replace('OwnerController', 'VetController').replace('/owners', '/vets'),
      }),
    );
    expect(short(services.routes)).toEqual(['GET /customers/owners/{id} customers/src/main/java/OwnerController.java:5', 'GET /vets/{id} vets/src/main/java/VetController.java:5']);
  });
});

describe('Go functions of the same name in two services', () => {
  it('users.Register and orders.Register stay apart; a method call reaches the function of that name', () => {
    const reg = (pkg: string, path: string) => lines(`package ${pkg}`, 'import "github.com/gin-gonic/gin"', 'func Register(r *gin.RouterGroup) {', `\tr.GET("${path}", h)`, '}');
    const f = facts(
      sample({
        'users/cmd/main.go': lines('package main', 'import (', '\t"github.com/gin-gonic/gin"', '\t"example.com/users/internal/users"', ')', 'func main() {', '\tr := gin.Default()', '\tusers.Register(r.Group("/users"))', '}'),
        'users/internal/users/routes.go': reg('users', '/:id'),
        'orders/cmd/main.go': lines('package main', 'import (', '\t"github.com/gin-gonic/gin"', '\tord "example.com/orders/internal/orders"', ')', 'func main() {', '\tr := gin.Default()', '\tord.Register(r.Group("/orders"))', '}'),
        'orders/internal/orders/routes.go': reg('orders', '/:no'),
      }),
    );
    expect(short(f.routes)).toEqual(['GET /orders/:no orders/internal/orders/routes.go:4', 'GET /users/:id users/internal/users/routes.go:4']);
  });
});

describe('C# extension methods of the same name in two projects', () => {
  it('each MapGroup(...).MapEndpoints() reaches the MapEndpoints of its own project', () => {
    const endpoints = (path: string) => lines('public static class Endpoints', '{', '    public static RouteGroupBuilder MapEndpoints(this RouteGroupBuilder group)', '    {', `        group.MapGet("${path}", Handler);`, '        return group;', '    }', '}');
    const f = facts(
      sample({
        'src/Basket.API/Program.cs': lines('var app = builder.Build();', 'app.MapGroup("/basket").MapEndpoints();'),
        'src/Basket.API/Endpoints.cs': endpoints('/items'),
        'src/Ordering.API/Program.cs': lines('var app = builder.Build();', 'app.MapGroup("/orders").MapEndpoints();'),
        'src/Ordering.API/Endpoints.cs': endpoints('/{id}'),
      }),
    );
    expect(short(f.routes)).toEqual(['GET /basket/items src/Basket.API/Endpoints.cs:5', 'GET /orders/{id} src/Ordering.API/Endpoints.cs:5']);
  });
});
