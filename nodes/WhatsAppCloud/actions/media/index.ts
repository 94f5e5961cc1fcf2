import { defineResource } from '../resource';
import * as deleteMedia from './delete.operation';
import * as download from './download.operation';
import * as getUrl from './getUrl.operation';
import * as upload from './upload.operation';

export const media = defineResource({
	name: 'Media',
	value: 'media',
	defaultOperation: 'upload',
	operations: [deleteMedia.operation, download.operation, getUrl.operation, upload.operation],
});
