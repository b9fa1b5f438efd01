import { Hono } from "hono";
import { KERNEL_VERSION } from "@aifp/kernel";
import { PRICE_BOOK_VERSION, priceBook } from "@aifp/catalog";
import type { AppEnv } from "../app.ts";
import { APP_VERSION } from "../version.ts";

/** How much the built public price book holds: what the home page shows as "catalog size". */
const CATALOG_SIZE = {
  accelerators: priceBook.accelerators.length,
  servers: priceBook.servers.length,
  cloudOffers: priceBook.cloudOffers.length,
  throughputPoints: priceBook.throughputPoints.length,
  regions: priceBook.regions.length,
  models: priceBook.models.length,
};

export const healthRoutes = new Hono<AppEnv>().get("/", (c) =>
  c.json({
    status: "ok",
    version: APP_VERSION,
    kernelVersion: KERNEL_VERSION,
    priceBookVersion: PRICE_BOOK_VERSION,
    catalog: CATALOG_SIZE,
  }),
);
