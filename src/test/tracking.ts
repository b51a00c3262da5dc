import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { issueApiCredentials } from '../affiliates/api-credentials.js';
import { setCommissionRate } from '../catalog/set-commission-rate.js';
import { setEnrollment } from '../catalog/set-enrollment.js';
import type { Ctx } from '../context.js';
import { type App, buildApp } from '../server.js';
import type { RecorderOptions } from '../tracking/click-recorder.js';
import { createLinks } from '../tracking/create-links.js';
import { startTracking, type Tracking } from '../tracking/start-tracking.js';
import {
  allowTestDomain,
  seedAffiliate,
  seedCategoryBranch,
  seedProduct,
  seedStore,
  TEST_DOMAIN,
} from './factories.js';

export const BASE = 'https://affnet.example';

/** An approved affiliate with an enrolled product and a link to it. */
export async function seedLink(ctx: Ctx, url?: string) {
  await allowTestDomain(ctx);
  const affiliate = await seedAffiliate(ctx, { approve: true });
  const branch = await seedCategoryBranch(ctx);
  const storeId = await seedStore(ctx);
  const product = await seedProduct(ctx, storeId, branch.leaf);
  await setEnrollment(ctx, { storeId, scope: 'store', enrolled: true });
  await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 800 });
  await issueApiCredentials(ctx, affiliate.id);
  const [link] = await createLinks(
    ctx,
    { affiliateId: affiliate.id, urls: [url ?? product.url] },
    BASE,
  );
  if (!link) throw new Error('no link');
  return { affiliate, product, storeId, link };
}

/** A real server on a free port with the redirect in front, as `affnet serve` runs it. */
export async function startTestServer(
  ctx: Ctx,
  recorder?: RecorderOptions,
  /** Served over https (AFFNET_PUBLIC_URL https://…): Secure cookies and HSTS. */
  secure = false,
): Promise<{ url: string; app: App; tracking: Tracking; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-tracking-'));
  const tracking = await startTracking(ctx, {
    dataDir,
    countryHeader: 'cf-ipcountry',
    trustProxy: false,
    secureCookie: secure,
    useWorker: false,
    ...(recorder ? { recorder } : {}),
  });
  const app = await buildApp(ctx, {
    redirect: tracking.redirect.handle,
    ...(secure ? { publicBaseUrl: BASE } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    tracking,
    async close() {
      await app.close();
      await tracking.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { TEST_DOMAIN };
