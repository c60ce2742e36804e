import express from 'express';
import type { Router } from 'express';
import { MethodNotAllowedError } from '../utils/errors';
import { createAuthRouter } from '../auth/routes';
import { usersRouter } from './users';
import { projectsRouter } from './projects';
import { tasksRouter } from './tasks';
import { commentsRouter } from './comments';

// Path -> methods served, read from the routers' own route table (nested routers too).
// The parts of Express's router layers read here (not in its public types).
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function routeMethods(stack: Layer[], table = new Map<string, Set<string>>()):
  Map<string, Set<string>> {
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const methods = table.get(layer.route.path) ?? new Set<string>();
      for (const [method, served] of Object.entries(layer.route.methods)) {
        if (served && method !== '_all') {
          methods.add(method.toUpperCase());
        }
      }
      table.set(layer.route.path, methods);
    } else if (Array.isArray(layer.handle?.stack)) {
      routeMethods(layer.handle.stack, table);
    }
  }
  return table;
}

// A known path asked with a method it does not serve (TRACE, a PUT on a collection...)
// answers 405 with an Allow header, not 404. Registered after every route, so it only
// sees requests no route took.
function answerUnservedMethods(router: Router): void {
  for (const [path, methods] of routeMethods(router.stack as unknown as Layer[])) {
    if (methods.has('GET')) {
      methods.add('HEAD');
    }
    const allowed = [...methods].sort();
    router.all(path, (req, res, next) => {
      next(new MethodNotAllowedError(req.method, req.path, allowed));
    });
  }
}

// Every route of the API, relative to the prefix the app mounts it under.
// Routers with fixed paths go first so item routes (/:id) cannot shadow them.
function createApiRouter(): Router {
  const router = express.Router();
  router.use(createAuthRouter());
  router.use(usersRouter);
  router.use(projectsRouter);
  router.use(tasksRouter);
  router.use(commentsRouter);
  answerUnservedMethods(router);
  return router;
}

export { createApiRouter };
