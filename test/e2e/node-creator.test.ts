/**
 * The node creator in a real browser (Debian's Chromium through playwright-core) on n8n 2.41.1
 * with this package installed: what a user reads on the package's entry.
 *
 * n8n makes one entry of an action node and its trigger (`X` and `XTrigger`) and shows the
 * trigger's description on it — in the trigger list and after a trigger alike (the editor's
 * generateMergedNodesAndActions). So after a trigger, the entry offering the action node's
 * operations must say that it sends, not only that it starts workflows.
 *
 * An AI Agent's Tool connector offers the package twice: as a tool, and under Human review as the
 * approval step n8n generates from Send and Wait (`whatsAppCloudHitlTool`).
 *
 * Needs `npm run build` and /usr/bin/chromium (or CHROMIUM_PATH). UPDATE_SCREENSHOTS=1 also saves
 * the README pictures test/demo/screenshots/node-creator.png, agent-review-creator.png and
 * agent-review-node.png.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { ARTIFACTS_DIR, startN8n, TRIGGER_NODE_TYPE, type N8nInstance } from './harness';
import { DEFAULT_N8N_VERSION, REPO_ROOT } from './install';
import { N8N_HAS_HITL_TOOLS } from './support/agentReview';

jest.setTimeout(600_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ENTRY_TITLE = 'WhatsApp Cloud API';
const SCREENSHOTS = path.join(REPO_ROOT, 'test', 'demo', 'screenshots');
const README_SCREENSHOT = path.join(SCREENSHOTS, 'node-creator.png');

/** Saves the page for README when UPDATE_SCREENSHOTS=1 (and always as a run artifact). */
async function picture(page: Page, file: string): Promise<void> {
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS_DIR, file) });
	if (process.env.UPDATE_SCREENSHOTS === '1')
		await page.screenshot({ path: path.join(SCREENSHOTS, file) });
}

/** The package's entry in the open node creator, searched by name: its title and description. */
async function searchEntry(page: Page): Promise<{ title: string; description: string }> {
	const search = page
		.locator(
			'input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input',
		)
		.first();
	await search.waitFor({ timeout: 30_000 });
	await search.fill('WhatsApp Cloud');
	const entry = page
		.locator('[data-test-id="node-creator-action-item"], [data-test-id="node-creator-node-item"]')
		.filter({
			has: page.locator('[data-test-id="node-creator-item-name"]', {
				hasText: /^WhatsApp Cloud API$/,
			}),
		})
		.first();
	await entry.waitFor({ timeout: 30_000 });
	return {
		title: (await entry.locator('[data-test-id="node-creator-item-name"]').innerText()).trim(),
		description: (
			await entry.locator('[data-test-id="node-creator-item-description"]').innerText()
		).trim(),
	};
}

async function dismissHints(page: Page): Promise<void> {
	const gotIt = page.getByRole('button', { name: 'Got it' });
	if (await gotIt.isVisible().catch(() => false)) await gotIt.click().catch(() => undefined);
}

// The editor of n8n 1.x is another one (its node creator lists entries differently); the UI
// claims in README are about n8n 2.41.1.
const describeEditor = DEFAULT_N8N_VERSION.startsWith('1.') ? describe.skip : describe;

describeEditor('node creator (real n8n, real browser)', () => {
	let n8n: N8nInstance;
	let context: BrowserContext;
	let page: Page;
	let profile = '';

	beforeAll(async () => {
		if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) {
			throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
		}
		if (!fs.existsSync(CHROMIUM)) {
			throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
		}
		n8n = await startN8n({ logName: 'n8n-node-creator' });
		profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			viewport: { width: 1280, height: 760 },
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
			],
		});
		// the harness's owner session: the login cookie it holds
		const [name, ...value] = n8n.cookie.split('=');
		await context.addCookies([{ name, value: value.join('='), url: n8n.baseUrl }]);
		page = context.pages()[0] ?? (await context.newPage());
	}, 600_000);

	afterAll(async () => {
		await context?.close();
		if (profile) fs.rmSync(profile, { recursive: true, force: true });
		await n8n?.stop();
	}, 60_000);

	test('after the trigger, the entry offering the action node says that it sends', async () => {
		const workflowId = await n8n.createWorkflow({
			name: 'Node creator after the trigger',
			nodes: [
				{
					id: randomUUID(),
					name: 'WhatsApp Cloud API Trigger',
					type: TRIGGER_NODE_TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters: { registration: 'manual' },
					webhookId: randomUUID(),
				},
			],
			connections: {},
			settings: {},
		});
		await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
		await dismissHints(page);
		// the + on the trigger's output: "What happens next?"
		await page.locator('[data-test-id="canvas-handle-plus"]').first().click();
		const entry = await searchEntry(page);

		expect(entry.title).toBe(ENTRY_TITLE);
		// what the action node does, not only what the trigger does
		expect(entry.description).toMatch(/\bSend\b/);
		expect(entry.description).toMatch(/\bmedia\b/);
		expect(entry.description).toMatch(/\btemplates\b/);
		expect(entry.description).not.toMatch(/^Starts the workflow/);

		await picture(page, path.basename(README_SCREENSHOT));

		// the entry is the action node's: opening it lists its operations
		await page
			.locator('[data-test-id="node-creator-action-item"]', { hasText: ENTRY_TITLE })
			.first()
			.click();
		await page
			.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Send a text message$/ })
			.first()
			.waitFor({ timeout: 30_000 });
	});

	test('in the trigger list, the same entry says it starts workflows on webhooks', async () => {
		await page.goto(`${n8n.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-add-button"]').first().click({ timeout: 60_000 });
		const entry = await searchEntry(page);

		expect(entry.title).toBe(ENTRY_TITLE);
		expect(entry.description).toMatch(/\bstarts? the workflow\b/i);
		expect(entry.description).toMatch(/webhooks/);
	});

	(N8N_HAS_HITL_TOOLS ? test : test.skip)(
		"an AI Agent's tools offer the package under Human review; added, it asks who approves",
		async () => {
			const workflowId = await n8n.createWorkflow({
				name: 'Agent with human review',
				nodes: [
					{
						id: randomUUID(),
						name: 'When chat message received',
						type: '@n8n/n8n-nodes-langchain.manualChatTrigger',
						typeVersion: 1.1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: randomUUID(),
						name: 'AI Agent',
						type: '@n8n/n8n-nodes-langchain.agent',
						typeVersion: 3.1,
						position: [300, 0],
						parameters: { options: {} },
					},
				],
				connections: {
					'When chat message received': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
				},
				settings: {},
			});
			await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
			await dismissHints(page);
			await page
				.locator('[data-connection-type="ai_tool"] [data-test-id="canvas-handle-plus"]')
				.first()
				.click();
			const item = (name: string) =>
				page.locator('[data-test-id="node-creator-item-name"]', {
					hasText: new RegExp(`^${name}$`),
				});
			await item('Human review').first().click();
			const entry = item(ENTRY_TITLE).first();
			await entry.waitFor({ timeout: 30_000 });
			await picture(page, 'agent-review-creator.png');

			await entry.click();
			await page.getByRole('button', { name: 'Add to workflow' }).click();
			const ndv = page.locator('[data-test-id="ndv"]').first();
			await ndv.locator('[data-test-id="parameter-input-recipient"]').waitFor({ timeout: 30_000 });
			const text = await ndv.innerText();
			// n8n's review message, the approver, the approval buttons; the response type is fixed
			expect(text).toContain('The agent wants to run this tool: {{ $tool.name }}');
			expect(text).toContain('Recipient');
			expect(text).toContain('Approval Options');
			expect(text).not.toContain('Response Type');
			// the set-up this needs is said where it is configured
			expect(text).toContain('WhatsApp Cloud API Trigger');
			await picture(page, 'agent-review-node.png');
			await page.keyboard.press('Escape');

			// the review node sits on the agent's Tool connector
			await page
				.locator('[data-test-id="canvas-node"][data-node-type$="whatsAppCloudHitlTool"]')
				.waitFor({ timeout: 30_000 });
		},
	);
});
