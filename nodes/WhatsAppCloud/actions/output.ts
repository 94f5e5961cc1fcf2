/** The node's output items: one shape for sent messages, one for every failed item. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FailedSend, SendFailure, SendReport, SentMessage } from '../transport/sender';
import { isSkipped } from './campaign';
import type { NodeError } from './errors';
import { toNodeError } from './errors';

/** A sent message as its output item's json (the README's "Output (every send)"). */
export function sentJson(sent: SentMessage): IDataObject {
	const { extraOutput, rawResponse, ...fields } = sent;
	const json = withoutUndefined(fields as IDataObject);
	delete json.kind;
	Object.assign(json, extraOutput);
	if (rawResponse !== undefined) json.rawResponse = rawResponse;
	return json;
}

/**
 * A failed item's json: everything travels inside `error`, because n8n replaces the json of an item
 * carrying `.error` with the bare message, and routes an item to the error output when its json
 * holds only `error`.
 */
export function failedJson(error: NodeError, failure: SendFailure = {}): IDataObject {
	return { error: { message: error.message, ...withoutUndefined(failure as IDataObject) } };
}

/**
 * Output items for a run of sends, in item order (items never dispatched after a stop have none).
 * With a campaign key every sent or skipped item says how many this run skipped.
 */
export function sendOutputItems(
	this: IExecuteFunctions,
	report: SendReport,
	campaign?: { key: string; skipped: number },
): INodeExecutionData[] {
	const items: INodeExecutionData[] = [];
	const campaignJson = campaign ? { campaignKey: campaign.key, skipped: campaign.skipped } : {};
	for (const outcome of report.outcomes) {
		if (!outcome) continue;
		const json = outcome.ok
			? { ...sentJson(outcome.sent), ...(campaign ? { campaign: campaignJson } : {}) }
			: failedJson(toNodeError(this, outcome.error, outcome.itemIndex), outcome.failure);
		items.push(...pairedTo(this, outcome.itemIndex, [{ json }]));
	}
	return items;
}

/** A failed item operation's output item, in the same shape as a failed send. */
export function failedItem(
	context: IExecuteFunctions,
	error: NodeError,
	itemIndex: number,
): INodeExecutionData[] {
	return pairedTo(context, itemIndex, [{ json: failedJson(error) }]);
}

/** The error that stops a run of sends, saying how far it got. */
export function stoppedError(
	context: IExecuteFunctions,
	report: SendReport,
	stoppedBy: FailedSend,
	itemCount: number,
): NodeError {
	const error = toNodeError(context, stoppedBy.error, stoppedBy.itemIndex);
	const notSent = report.outcomes.filter((outcome) => outcome === undefined).length;
	// Exactly which items went out, so a re-run can leave them out (or use a Campaign Key).
	const accepted = report.outcomes.flatMap((outcome) =>
		outcome?.ok && !isSkipped(outcome.sent)
			? [`${outcome.itemIndex}: ${String(outcome.sent.messageId ?? '(no message ID)')}`]
			: [],
	);
	error.description = [
		error.description,
		`Item ${stoppedBy.itemIndex} failed. ${report.accepted} of ${itemCount} messages were accepted by Meta before the node stopped; ${notSent} were not sent. Use "On Error: Continue (using error output)" to get every item's outcome instead of stopping, or a Campaign Key to make a re-run skip the recipients already sent to.`,
		accepted.length > 0 ? `Accepted (item: message ID): ${accepted.join(', ')}` : '',
	]
		.filter(Boolean)
		.join('\n');
	return error;
}

export function pairedTo(
	context: IExecuteFunctions,
	itemIndex: number,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	return context.helpers.constructExecutionMetaData(items, { itemData: { item: itemIndex } });
}

function withoutUndefined(fields: IDataObject): IDataObject {
	const json: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) if (value !== undefined) json[key] = value;
	return json;
}
