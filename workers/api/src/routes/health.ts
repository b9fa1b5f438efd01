import { Hono } from "hono";
import { KERNEL_VERSION } from "@aifp/kernel";
import { PRICE_BOOK_VERSION } from "@aifp/catalog";
import type { AppEnv } from "../app.ts";
import { APP_VERSION } from "../version.ts";

export const healthRoutes = new Hono<AppEnv>().get("/", (c) =>
  c.json({
    status: "ok",
    version: APP_VERSION,
    kernelVersion: KERNEL_VERSION,
    priceBookVersion: PRICE_BOOK_VERSION,
  }),
);
