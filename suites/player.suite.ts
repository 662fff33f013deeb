// PL-01…PL-12: the player side, certified by the probe plug-in.
import { describeRuleFamily } from '../harness/vitest/rule-suite.ts';
import { providedReport } from '../harness/vitest/provided-report.ts';

describeRuleFamily('PL', 'player', providedReport);
