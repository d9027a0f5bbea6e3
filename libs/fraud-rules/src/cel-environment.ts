// One typed CEL environment for every ruleset, plus reusable typed variables so evaluating a rule allocates nothing of ours.
import { Environment } from '@marcbachmann/cel-js';
import { FEATURE_GROUPS, FEATURE_SCHEMA, type FeatureGroup, type FeatureSnapshot } from './features.js';

type FeatureRecord = Record<string, unknown>;
type FeatureClass = new () => FeatureRecord;

const CEL_TYPE_NAMES: Record<FeatureGroup, string> = {
  order: 'OrderFeatures',
  user: 'UserFeatures',
  device: 'DeviceFeatures',
  ip: 'IpFeatures',
  email: 'EmailFeatures',
};

/**
 * A dedicated class per group lets cel-js recognise the value as the declared message type by its constructor.
 * With plain objects (or a `schema` declaration) cel-js instead wraps every variable in a fresh Map on every
 * evaluation, which made the default ruleset ~3× slower.
 */
const FEATURE_CLASSES = Object.fromEntries(
  FEATURE_GROUPS.map((group) => [group, { [CEL_TYPE_NAMES[group]]: class {} }[CEL_TYPE_NAMES[group]] as FeatureClass]),
) as Record<FeatureGroup, FeatureClass>;

const FEATURE_KEYS = Object.fromEntries(FEATURE_GROUPS.map((group) => [group, Object.keys(FEATURE_SCHEMA[group])])) as Record<
  FeatureGroup,
  string[]
>;

function createEnvironment(): Environment {
  const env = new Environment();
  for (const group of FEATURE_GROUPS) {
    env.registerType(CEL_TYPE_NAMES[group], { ctor: FEATURE_CLASSES[group], fields: { ...FEATURE_SCHEMA[group] } });
    env.registerVariable(group, CEL_TYPE_NAMES[group]);
  }
  // Every feature number is a CEL double; CEL's heterogeneous equality lets rule authors write `user.orders1h == 0`.
  // cel-js registers the mirrored `int == double` and both `!=` forms from this one overload.
  env.registerOperator('double == int', (left: number | bigint, right: number | bigint) => Number(left) === Number(right));
  return env;
}

let sharedEnvironment: Environment | undefined;

/** Building an Environment is expensive, so every ruleset shares one; it is never mutated after creation. */
export function featureEnvironment(): Environment {
  return (sharedEnvironment ??= createEnvironment());
}

/** The evaluation context for one ruleset: typed holders that `load` refills in place for every decision. */
export class FeatureVariables {
  readonly context: Record<FeatureGroup, FeatureRecord> = Object.fromEntries(
    FEATURE_GROUPS.map((group) => [group, new FEATURE_CLASSES[group]()]),
  ) as Record<FeatureGroup, FeatureRecord>;

  load(features: FeatureSnapshot): void {
    for (const group of FEATURE_GROUPS) {
      const target = this.context[group];
      const source = features[group] as unknown as FeatureRecord;
      for (const key of FEATURE_KEYS[group]) target[key] = source[key];
    }
  }
}
