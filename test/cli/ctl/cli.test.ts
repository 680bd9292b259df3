import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { run } from './fake-server.js'

const maxLine = (s: string): number => Math.max(...s.split('\n').map((l) => [...l].length))

describe('ctl invocation and help', () => {
  it('prints the version with --version and -v', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await run([flag])
      assert.equal(r.stdout, 'ipfs-cluster-ctl version 1.1.6\n')
      assert.equal(r.code, 0)
    }
  })

  it('prints the main help for --help, -h, h and help', async () => {
    for (const args of [['--help'], ['-h'], ['h'], ['help']]) {
      const r = await run(args)
      assert.equal(r.code, 0, args.join(' '))
      assert.match(r.stdout, /^USAGE:$/m)
      assert.match(r.stdout, /^COMMANDS:$/m)
      assert.match(r.stdout, /^GLOBAL OPTIONS:$/m)
      assert.ok(r.stdout.startsWith('NAME:\n   ipfs-cluster-ctl - CLI for IPFS Cluster\n\nUSAGE:\n   ipfs-cluster-ctl [global options] command [command options] [arguments...]\n\nVERSION:\n   1.1.6\n'))
      assert.ok(maxLine(r.stdout) <= 120)
      assert.doesNotMatch(r.stdout, /^ {3}commands/m) // hidden
    }
  })

  it('lists the command tree with the hidden commands command', async () => {
    const r = await run(['commands'])
    assert.equal(r.code, 0)
    assert.equal(r.stdout, [
      'id', 'peers', 'peers ls', 'peers rm', 'add', 'pin', 'pin add', 'pin rm', 'pin update', 'pin ls', 'status', 'recover',
      'version', 'health', 'health graph', 'health metrics', 'health alerts', 'health bandwidth', 'ipfs', 'ipfs gc', 'commands', 'help'
    ].map((c) => `ipfs-cluster-ctl ${c}\n`).join(''))
  })

  it('uses the program name for every listed command but help', async () => {
    const r = await run(['commands'], { programName: 'ctl2' })
    assert.match(r.stdout, /^ctl2 pin ls$/m)
    assert.match(r.stdout, /^ipfs-cluster-ctl help$/m)
  })

  it('keeps every help output within 120 columns', async () => {
    const list = (await run(['commands'])).stdout.trim().split('\n')
    for (const line of list) {
      const r = await run([...line.split(' ').slice(1), '--help'])
      assert.equal(r.code, 0, line)
      assert.ok(r.stdout.length > 0, line)
      assert.ok(maxLine(r.stdout) <= 120, `${line}: ${maxLine(r.stdout)} columns`)
    }
  })

  it('prints command help in the urfave layout', async () => {
    const r = await run(['pin', 'ls', '--help'])
    assert.equal(r.stdout, `NAME:
   ipfs-cluster-ctl pin ls - List items in the cluster pinset

USAGE:
   ipfs-cluster-ctl pin ls [command options] [CID]

DESCRIPTION:
   
This command will list the CIDs which are tracked by IPFS Cluster and to
which peers they are currently allocated. This list does not include
any monitoring information about the IPFS status of the CIDs, it
merely represents the list of pins which are part of the shared state of
the cluster. For IPFS-status information about the pins, use "status".

The filter only takes effect when listing all pins. The possible values are:
  - all (default)
  - pin (normal pins, recursive or direct)
  - meta-pin (sharded pins)
  - clusterdag-pin (sharding-dag root pins)
  - shard-pin (individual shard pins)


OPTIONS:
   --filter value  Comma separated list of pin types. See help above. (default: "all")
   
`)
  })

  it('prints group help for a command group without subcommand', async () => {
    const r = await run(['health'])
    assert.equal(r.code, 0)
    assert.equal(r.stdout, `NAME:
   ipfs-cluster-ctl health - Cluster monitoring information

USAGE:
   ipfs-cluster-ctl health command [command options] [arguments...]

COMMANDS:
   graph      create a graph displaying connectivity of cluster peers
   metrics    List latest metrics logged by this peer
   alerts     List the latest expired metric alerts
   bandwidth  Lists bandwidth stats for libp2p protocols

OPTIONS:
   --help, -h  show help
   
`)
  })

  it('shows command help through help <command>', async () => {
    const r = await run(['help', 'version'])
    assert.equal(r.code, 0)
    assert.ok(r.stdout.startsWith('NAME:\n   ipfs-cluster-ctl version - Retrieve cluster version\n\nUSAGE:\n   ipfs-cluster-ctl version  \n'))
  })

  it('fails with exit 3 on unknown commands', async () => {
    const r = await run(['frobnicate'])
    assert.equal(r.code, 3)
    assert.equal(r.stderr, "No help topic for 'frobnicate'\n")
    assert.equal(r.stdout, '')
  })

  it('fails with exit 3 on peers add (no such subcommand)', async () => {
    for (const args of [['peers', 'add'], ['peers', 'add', 'XXXinvalid-peerXXX']]) {
      const r = await run(args)
      assert.equal(r.code, 3)
      assert.equal(r.stderr, "No help topic for 'add'\n")
    }
  })

  it('reports unknown global flags with "Incorrect Usage." and exit 1', async () => {
    const r = await run(['--nope', 'id'])
    assert.equal(r.code, 1)
    assert.ok(r.stdout.startsWith('Incorrect Usage. flag provided but not defined: -nope\n\nNAME:\n'))
  })

  it('reports unknown command flags with "Incorrect Usage:" and the command help', async () => {
    const r = await run(['--host', '/ip4/127.0.0.1/tcp/1', 'version', '--nope'])
    assert.equal(r.code, 1)
    assert.ok(r.stdout.startsWith('Incorrect Usage: flag provided but not defined: -nope\n\nNAME:\n   ipfs-cluster-ctl version - '))
  })

  it('rejects two forms of the same flag', async () => {
    const r = await run(['--enc', 'json', '--encoding', 'text', 'id'])
    assert.equal(r.code, 1)
    assert.ok(r.stdout.startsWith('Cannot use two forms of the same flag: enc encoding\nNAME:'))
  })

  it('rejects an unsupported encoding', async () => {
    const r = await run(['--enc', 'xml', 'id'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'error : unsupported encoding\n')
  })

  it('rejects bad secrets and host multiaddresses', async () => {
    let r = await run(['--secret', 'zz', 'id'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, "error parsing secret: encoding/hex: invalid byte: U+007A 'z'\n")
    r = await run(['--secret', 'abc', 'id'])
    assert.equal(r.stderr, 'error parsing secret: encoding/hex: odd length hex string\n')
    r = await run(['--host', 'nope', 'id'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'error parsing host multiaddress: failed to parse multiaddr "nope": must begin with /\n')
  })

  it('refuses libp2p hosts with a clear error', async () => {
    const r = await run(['--host', '/ip4/127.0.0.1/tcp/9096/p2p/12D3KooWQfuu2VkFx1nE7L6XaK9B2C5o7AG7UJxJ1kVBK6r5aSbN', 'id'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'error creating API client: libp2p hosts are not supported yet\n')
  })

  it('checks add paths before contacting the server', async () => {
    const r = await run(['--host', '/ip4/127.0.0.1/tcp/1', 'add', 'no-such-file.txt'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'error : lstat no-such-file.txt: no such file or directory\n')
  })
})
