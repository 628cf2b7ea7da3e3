import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServiceManifest } from "../manifest/types.js";
import { internalError, notReady } from "./errors.js";

type NodeHandler = (request: IncomingMessage, response: ServerResponse) => unknown;
type FastifyPlugin = (app: FastifyInstance) => unknown;

/** What a mount needs of the server: whether its @onStartup hooks are done, and where to log a handler's failure. */
export interface MountServer {
  app: FastifyInstance;
  started(): boolean;
  logFailure(request: FastifyRequest, error: unknown): void;
}

/**
 * Registers a service's `@mount` methods, each in a Fastify context of its own under its prefix:
 * a plugin registers its routes there; a Node handler answers every method and path below the
 * prefix with the body unread. Both come after the bento's routes (the compiler keeps them from
 * sharing a path), go through the server's request ids, metrics, access lines and shutdown, and
 * answer 503 until the @onStartup hooks are done, as APIs do.
 */
export function registerMounts(service: ServiceManifest, instance: object, server: MountServer): void {
  for (const mount of service.mounts ?? []) {
    const method = (instance as Record<string, unknown>)[mount.method];
    if (typeof method !== "function") throw new Error(`@mount("${mount.path}") of service ${service.name}: ${mount.method} is not a method of its instance`);
    void server.app.register(async (child) => {
      child.addHook("onRequest", (request, reply, done) => {
        if (!server.started()) return done(notReady());
        reply.header("x-request-id", request.id);
        done();
      });
      if (mount.kind === "fastify") await (method as FastifyPlugin).call(instance, child);
      else nodeHandlerRoutes(child, (method as NodeHandler).bind(instance), server);
    }, { prefix: mount.path });
  }
}

/** Every method and path below the prefix, handed to the Node handler as Node gave them. */
function nodeHandlerRoutes(app: FastifyInstance, handler: NodeHandler, server: MountServer): void {
  // The handler reads the body itself, if it wants it: no parser consumes it first.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, _payload, done) => done(null));
  const handle = (request: FastifyRequest, reply: FastifyReply): void => {
    reply.raw.setHeader("x-request-id", String(request.id));
    reply.hijack();
    const failed = (error: unknown): void => {
      server.logFailure(request, error);
      const response = reply.raw;
      if (!response.headersSent) {
        const answer = internalError();
        response.writeHead(answer.status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(answer.body(String(request.id))));
      } else if (!response.writableEnded) response.destroy();
    };
    try {
      const outcome = handler(request.raw, reply.raw);
      if (outcome instanceof Promise) outcome.catch(failed);
    } catch (error) {
      failed(error);
    }
  };
  app.all("/", handle);
  app.all("/*", handle);
}
