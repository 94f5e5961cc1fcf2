/**
 * README pictures: starts the demo setup (emulator + n8n + example workflows, see setup.ts), opens
 * the n8n editor in headless Chromium, logs in and saves PNGs to test/demo/screenshots/:
 *
 *   canvas.png           the support-bot workflow
 *   template-node.png    the action node sending a template, its variables filled (resource mapper)
 *   trigger-options.png  the trigger's parameters and the options set in the example
 *   trigger-options-list.png  the same with the "Add option" list open (every option)
 *   template-carousel.png     a carousel template's variables in the resource mapper: per card
 *                             its image, body placeholders and button values
 *   send-and-wait             Send and Wait for Response as the customer sees each response
 *                             type, and the node in the editor (see sendAndWaitShots.ts)
 *
 *   npx ts-node --transpile-only test/demo/screenshots.ts [name …]   (needs `npm run build` and
 *   Debian's chromium: apt-get install -y chromium; not part of npm test). With names (e.g.
 *   template-carousel), only those pictures are taken.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, type Page } from 'playwright-core';

import { sendAndWaitShots } from './sendAndWaitShots';
import { DEMO_LOGIN, startDemo } from './setup';

const OUT = path.join(__dirname, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const log = (s: string) => process.stderr.write(`[screenshots] ${s}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** The pictures asked for on the command line; none → all. */
const wanted = process.argv.slice(2);
const take = (name: string) => wanted.length === 0 || wanted.includes(name);

async function dismissPopups(page: Page): Promise<void> {
	for (let i = 0; i < 3; i++) {
		await page.keyboard.press('Escape').catch(() => undefined);
		const close = page.locator(
			'.el-dialog__headerbtn:visible, [data-test-id="close-button"]:visible, .el-notification__closeBtn:visible',
		);
		const n = await close.count();
		for (let k = 0; k < n; k++)
			await close
				.nth(k)
				.click({ timeout: 1000 })
				.catch(() => undefined);
		await sleep(200);
	}
}

async function login(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page.locator(
		'input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]',
	);
	await email.first().waitFor({ timeout: 60_000 });
	await email.first().fill(DEMO_LOGIN.email);
	await page.locator('input[type="password"]').first().fill(DEMO_LOGIN.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
}

async function openNode(page: Page, name: string): Promise<void> {
	const node = page.locator('[data-test-id="canvas-node"]', { hasText: name }).first();
	await node.waitFor({ timeout: 30_000 });
	await node.dblclick();
	await page
		.locator('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]')
		.first()
		.waitFor({ timeout: 30_000 });
	await sleep(2500); // parameters that load from the emulator (pickers, resource mapper)
}

/** The carousel example's Send Template node, scrolled to its resource mapper. */
async function carouselShot(
	page: Page,
	baseUrl: string,
	workflowIds: Record<string, string>,
): Promise<void> {
	await page.setViewportSize({ width: 1440, height: 1500 });
	await page.goto(`${baseUrl}/workflow/${workflowIds['carousel-picks.json']}`, {
		waitUntil: 'domcontentloaded',
	});
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	await sleep(1500);
	await dismissPopups(page);
	await openNode(page, 'Weekly picks (carousel)');
	const mapper = page.getByText('Card 1 Header Image', { exact: false }).first();
	await mapper.waitFor({ timeout: 30_000 });
	await page
		.getByText('Template Variables', { exact: false })
		.first()
		.scrollIntoViewIfNeeded()
		.catch(() => undefined);
	await sleep(800);
	await page.screenshot({ path: path.join(OUT, 'template-carousel.png') });
	log('template-carousel.png');
	await page.keyboard.press('Escape');
	await page.setViewportSize({ width: 1440, height: 1080 });
	await sleep(500);
}

async function main(): Promise<void> {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
	}
	fs.mkdirSync(OUT, { recursive: true });
	const demo = await startDemo({ port: 0, log });
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1440, height: 1080 },
		deviceScaleFactor: 1,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await login(page, demo.n8n.baseUrl);
		log('logged in');
		if (take('template-carousel')) await carouselShot(page, demo.n8n.baseUrl, demo.workflowIds);
		if (take('send-and-wait')) await sendAndWaitShots(page, demo, OUT, log, openNode);
		if (!['canvas', 'template-node', 'trigger-options'].some(take)) return;
		await page.goto(`${demo.n8n.baseUrl}/workflow/${demo.supportBotId}`, {
			waitUntil: 'domcontentloaded',
		});
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
		await sleep(1500);
		await dismissPopups(page);
		// fit the whole workflow into view
		await page.keyboard.press('1').catch(() => undefined);
		await sleep(800);
		await page.screenshot({ path: path.join(OUT, 'canvas.png') });
		log('canvas.png');

		await openNode(page, 'Order update');
		await page.screenshot({ path: path.join(OUT, 'template-node.png') });
		log('template-node.png');
		await page.keyboard.press('Escape');
		await sleep(800);

		await openNode(page, 'WhatsApp Trigger');
		await page.screenshot({ path: path.join(OUT, 'trigger-options.png') });
		// and with the "Add option" list open: every option the trigger has
		await page
			.locator(
				'[data-test-id="collection-parameter-add"], [data-test-id="collection-parameter-add-dropdown"]',
			)
			.last()
			.click({ timeout: 10_000 });
		await sleep(1000);
		await page.screenshot({ path: path.join(OUT, 'trigger-options-list.png') });
		log('trigger-options.png');
	} finally {
		await context.close();
		fs.rmSync(profile, { recursive: true, force: true });
		await demo.stop();
	}
	log(`saved to ${OUT}`);
}

main().catch((error: Error) => {
	process.stderr.write(`screenshots failed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
