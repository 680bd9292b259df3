import { GroupWriter } from '../../src/util/group-writer.js'
import { groupWriterSuite } from './group-writer-suite.js'

groupWriterSuite('group writer', (target) => new GroupWriter<string, string>(target))
