/**
 * The HTTP server for the Express app. Its requests and responses are created with the app's own
 * prototypes (`app.request`, `app.response`) instead of Node's, so Express's per-request
 * `Object.setPrototypeOf(req, app.request)` finds the prototype already in place and changes
 * nothing. Changing an object's prototype after it is built leaves V8 with slow, polymorphic
 * property access in Node's HTTP and stream code for the rest of the request: on the 2-core bench
 * machine that was ~120 µs of CPU per request, a third of a bare Express route doing one findOne
 * (`npm run bench`; the technique is the one in expressjs/express#5998).
 *
 * Only plain routers are mounted on the app: a mounted sub-app would switch prototypes again.
 */
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type express from 'express';

export function createAppServer(app: express.Express): Server {
  if (isClass(IncomingMessage) || isClass(ServerResponse)) return createServer(app);
  return createServer(
    {
      IncomingMessage: withPrototype<typeof IncomingMessage>(IncomingMessage, app.request),
      ServerResponse: withPrototype<typeof ServerResponse>(ServerResponse, app.response),
    },
    app,
  );
}

/**
 * A constructor that runs `base` on an object born with `prototype`. Calling `base` on it is what makes the
 * prototype stick: Reflect.construct with another new.target measured slower than Express's own
 * prototype switch. It needs `base` to be a plain function, as Node's are (else: the default server).
 */
function withPrototype<C extends new (...args: never[]) => object>(base: C, prototype: object): C {
  function Constructed(this: object, ...args: unknown[]): void {
    Reflect.apply(base, this, args);
  }
  Constructed.prototype = prototype;
  // Same arguments as base, and instances that are base's instances too (prototype chains to it).
  return Constructed as unknown as C;
}

/** A `class` constructor cannot be run with `.call`. */
function isClass(constructor: object): boolean {
  return Function.prototype.toString.call(constructor).startsWith('class');
}
