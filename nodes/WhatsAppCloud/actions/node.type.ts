import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

export type WhatsAppCloudResource = 'message' | 'media' | 'template' | 'phoneNumber';

/** One message, ready for the transport's paced sender. */
export interface MessageSend {
	phoneNumberId: string;
	/** The complete JSON body of `POST /{phoneNumberId}/messages`. */
	payload: IDataObject;
	/** Fields merged into this item's output next to the send result (e.g. the uploaded media ID). */
	extraOutput?: IDataObject;
	/** Sent instead when Meta answers 131047 (24-hour window closed): an approved template. */
	fallback?: IDataObject;
}

/** Operations that send one message per item: they build it; the transport paces and retries. */
export interface SendOperation {
	kind: 'send';
	description: INodeProperties[];
	build(this: IExecuteFunctions, itemIndex: number): Promise<MessageSend>;
}

/** Every other operation: runs per item (management calls, media, lookups). */
export interface ItemOperation {
	kind: 'item';
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

export type Operation = SendOperation | ItemOperation;
