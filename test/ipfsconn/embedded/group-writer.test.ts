import { GroupWriter } from '../../../src/ipfsconn/embedded/group-writer.js'
import { groupWriterSuite } from '../../state/leveldb/group-writer-suite.js'

groupWriterSuite('embedded connector', (target) => new GroupWriter<string, string>(target))
