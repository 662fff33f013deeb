// WR-01: the wire protocol of plug-ins run out of process (--exec).
import { describeRuleFamily } from '../harness/vitest/rule-suite.ts';
import { providedReport } from '../harness/vitest/provided-report.ts';

describeRuleFamily('WR', 'plugin', providedReport);
