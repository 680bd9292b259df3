/**
 * UnixFS importer of the adder (spec adder.md §4): turns an upload's entries into Kubo-identical
 * UnixFS DAGs (chunkers `size-<n>`, `rabin…`, `buzhash`; layouts balanced and trickle; raw leaves;
 * CIDv0/v1; multihash choice; HAMT-sharded directories past 256 KiB of links), streams the
 * blocks to a `BlockSink` and reports `AddedOutput` events. No config key: options come from
 * each add's parameters.
 */
export { importUnixfs, resolveImportOptions } from './importer.js'
export type { ImportUnixfsOptions } from './importer.js'
export { parseChunker } from './chunker.js'
export type { Chunker } from './chunker.js'
export { getHasher } from '../../util/hashers.js'
export { UnknownHashFunctionError, UnsupportedHashFunctionError } from '../../interface/errors.js'
export * from './errors.js'
