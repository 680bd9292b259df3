/** Program name and the cluster version it reports (the reference's version). */
export const PROGRAM_NAME = 'ipfs-cluster-service'
/** Version shared with ipfs-cluster-ctl. */
export const VERSION = '1.1.6'
