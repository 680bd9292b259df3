import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { embeddedConnector } from '../../../src/ipfsconn/embedded/index.js'
import { silentLogger } from '../../../src/util/logger.js'
import { ipfsConnectorCompliance } from '../../compliance/ipfs-connector.js'

ipfsConnectorCompliance('embedded', async (options) => {
  const repoPath = await fs.mkdtemp(path.join(os.tmpdir(), 'ipfs-embedded-compliance-'))
  const connector = embeddedConnector({
    repoPath,
    swarmListen: ['/ip4/127.0.0.1/tcp/0'],
    pinTimeout: options.pinTimeout,
    unpinDisable: options.unpinDisable
  })({ logger: silentLogger() })
  await connector.start()
  return {
    connector,
    close: async () => {
      await connector.stop()
      await fs.rm(repoPath, { recursive: true, force: true })
    }
  }
})
