import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { MessageSend } from '../transport/sender';

/** How an operation shows in its resource's Operation selector. */
export type OperationOption = Required<
	Pick<INodePropertyOptions, 'name' | 'value' | 'description' | 'action'>
> & { value: string };

interface OperationBase {
	option: OperationOption;
	/** The operation's own fields; its resource adds the resource/operation display conditions. */
	properties: INodeProperties[];
}

/** Operations that send one message per item: they build it; the transport paces and retries. */
export interface SendOperation extends OperationBase {
	kind: 'send';
	build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend>;
}

/** Every other operation: runs per item (management calls, media, lookups). */
export interface ItemOperation extends OperationBase {
	kind: 'item';
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

/** Send and Wait: sends one question for the execution, then puts the execution to wait. */
export interface WaitOperation extends OperationBase {
	kind: 'wait';
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

export type Operation = SendOperation | ItemOperation | WaitOperation;
