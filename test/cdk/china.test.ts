import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/bundling.ts';
import availability from '../../lib/china-availability.json' with { type: 'json' };
import { stackPropsFromContext } from '../../lib/context.ts';
import { ReportPipelineStack } from '../../lib/report-pipeline-stack.ts';

/**
 * The stack as synthesized for the China regions, from context as `cdk synth` passes it, checked against
 * lib/china-availability.json (what CloudFormation and Lambda offer there, each with its source): the
 * stand-in for `cfn-lint --regions cn-north-1 cn-northwest-1`, which cannot run on this machine (no PyPI;
 * docs/deploy.md). One synth per region: Beijing with the pages on an ICP-registered domain, Ningxia without.
 */
const OIDC = { oidcIssuer: 'https://idp.example.gov.cn/realms/gongkai', oidcAudience: 'report-pipeline' };
const CONFIGS = {
  'cn-north-1': {
    ...OIDC,
    pagesDomain: 'nianbao.example.gov.cn',
    pagesCertificate: 'ASCAEXAMPLECERTIFICATE',
  },
  'cn-northwest-1': OIDC,
} as const;

/** cdk.json's feature flags, as `cdk synth` passes them (partition literals among them). */
const FLAGS = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;

function synth(region: keyof typeof CONFIGS) {
  const app = new App({ context: { ...FLAGS, 'aws:cdk:bundling-stacks': [], ...CONFIGS[region] } });
  const stack = new ReportPipelineStack(app, 'China', {
    ...stackPropsFromContext(app),
    env: { account: '123456789012', region },
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** Every way the template uses something the China regions lack, as cfn-lint would list errors. */
function chinaErrors(template: Template): string[] {
  const errors: string[] = [];
  const types = availability.resourceTypes as Record<string, string[]>;
  for (const [id, resource] of Object.entries(
    template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  )) {
    if (!Object.hasOwn(types, resource.Type))
      errors.push(`${id}: ${resource.Type} is not available (or not checked) in China`);
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const p = resource.Properties ?? {};
    const runtime = String(p.Runtime);
    if (!availability.lambda.runtimes.values.includes(runtime)) errors.push(`${id}: runtime ${runtime}`);
    for (const arch of (p.Architectures as string[] | undefined) ?? ['x86_64']) {
      if (!availability.lambda.architectures.values.includes(arch))
        errors.push(`${id}: architecture ${arch}`);
    }
    const mode = (p.TracingConfig as { Mode?: string } | undefined)?.Mode;
    if (mode !== undefined && !availability.lambda.tracingModes.values.includes(mode)) {
      errors.push(`${id}: TracingConfig.Mode ${mode} (no X-Ray integration with Lambda in China)`);
    }
  }
  return errors;
}

type Fact = {
  source: string;
  allowed: Record<string, string[]>;
  required: Record<string, string[]>;
  open: string[];
  values: Record<string, { enum?: unknown[]; pattern?: string; beyondSchema?: { values: unknown[] } }>;
  otherConstrained: string[];
};
const { regionFiles, facts } = availability.propertySchemas as unknown as {
  regionFiles: Record<string, { types: Record<string, string | null> }>;
  facts: Record<string, Record<string, Fact>>;
};

/** A CloudFormation intrinsic (`Ref`, `Fn::*`): its value is only known at deploy time, so it is not checked. */
function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || String(keys[0]).startsWith('Fn::'));
}

/**
 * Every way the template's Properties leave what the region's own cfn-lint schema allows (E3002 unknown
 * property, E3003 required, E3030 enum, E3031 pattern), for the types that have such a schema there
 * (lib/china-availability.json propertySchemas); the other types use the us-east-1 schema, as everywhere.
 */
function schemaErrors(template: Template, region: keyof typeof CONFIGS): string[] {
  const errors: string[] = [];
  const files = regionFiles[region]?.types ?? {};
  for (const [id, resource] of Object.entries(
    template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  )) {
    if (resource.Type.startsWith('Custom::')) continue;
    if (!Object.hasOwn(files, resource.Type)) {
      errors.push(`${id}: ${resource.Type} not looked up for a ${region} schema of its own`);
      continue;
    }
    if (files[resource.Type] === null) continue;
    const fact = facts[resource.Type]?.[region];
    if (!fact) {
      errors.push(
        `${id}: ${resource.Type} has a ${region} schema (${files[resource.Type]}) whose facts are not recorded`,
      );
      continue;
    }
    const at = (p: string) => `${id}: ${p || 'Properties'}`;
    const walk = (value: unknown, p: string): void => {
      if (isIntrinsic(value)) return;
      if (Array.isArray(value)) {
        for (const item of value) walk(item, `${p}[]`);
        return;
      }
      if (typeof value === 'object' && value !== null) {
        if (fact.open.includes(p)) return;
        const allowed = fact.allowed[p];
        if (!allowed) {
          errors.push(`${at(p)}: an object whose ${region} schema is not recorded`);
          return;
        }
        for (const name of fact.required[p] ?? []) {
          if (!Object.hasOwn(value, name)) errors.push(`${at(p)}: ${name} is required in ${region}`);
        }
        for (const [name, child] of Object.entries(value)) {
          const q = p ? `${p}.${name}` : name;
          if (allowed.includes(name)) walk(child, q);
          else errors.push(`${at(q)} is not a property of ${resource.Type} in ${region} (${fact.source})`);
        }
        return;
      }
      const rule = fact.values[p];
      if (fact.otherConstrained.includes(p)) {
        errors.push(`${at(p)}: the ${region} schema constrains this value; record its enum or pattern`);
      } else if (rule?.enum && !rule.enum.includes(value) && !rule.beyondSchema?.values.includes(value)) {
        errors.push(`${at(p)}: ${JSON.stringify(value)} is not one of the ${region} schema's values`);
      } else if (rule?.pattern && !new RegExp(rule.pattern).test(String(value))) {
        errors.push(`${at(p)}: ${JSON.stringify(value)} does not match the ${region} schema's pattern`);
      }
    };
    walk(resource.Properties ?? {}, '');
  }
  return errors;
}

const synths = {} as Record<keyof typeof CONFIGS, ReturnType<typeof synth>>;
beforeAll(() => {
  for (const region of Object.keys(CONFIGS) as (keyof typeof CONFIGS)[]) synths[region] = synth(region);
}, 120_000);

describe.each(Object.keys(CONFIGS) as (keyof typeof CONFIGS)[])('%s', (region) => {
  it('uses only resource types, runtimes and architectures the China regions have: 0 errors', () => {
    expect(chinaErrors(synths[region].template)).toEqual([]);
  });

  it("sets only properties and values the region's own cfn-lint schemas allow: 0 errors", () => {
    expect(schemaErrors(synths[region].template, region)).toEqual([]);
  });

  it('has no Cognito resource; the JWT authorizer trusts the given issuer and audience', () => {
    const { template } = synths[region];
    expect(JSON.stringify(template.toJSON())).not.toContain('AWS::Cognito::');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: OIDC.oidcIssuer, Audience: [OIDC.oidcAudience] },
    });
  });

  // The rest name the partition as AWS::Partition (managed policies), which is aws-cn there.
  it('writes aws-cn ARNs, never a literal arn:aws:', () => {
    const text = JSON.stringify(synths[region].template.toJSON());
    expect(text.includes('arn:aws-cn:'), 'an aws-cn ARN').toBe(true);
    expect(text.match(/.{60}arn:aws:.{60}/g) ?? [], 'global-partition ARNs').toEqual([]);
  });

  it('reads the OIDC claim names into the API function, with their documented defaults', () => {
    synths[region].template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { AGENCY_CLAIM: 'agency_id', OFFICE_CLAIM: 'office_id', GROUPS_CLAIM: 'groups' },
      },
    });
  });

  it('fires the reminders with an EventBridge rule at 01:00 UTC (09:00 China time), retried, dead-lettered', () => {
    const { template } = synths[region];
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 1 * 1-6 ? *)',
      Targets: [
        expect.objectContaining({
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
          DeadLetterConfig: { Arn: expect.anything() },
          InputTransformer: expect.objectContaining({ InputPathsMap: { time: '$.time' } }),
        }),
      ],
    });
  });

  it('is cdk-nag clean', () => {
    const { app, stack } = synths[region];
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.resourceLogicalId)}`),
    ).toEqual([]);
  });
});

describe('the pages in China', () => {
  it('Beijing: CloudFront on the ICP-registered domain with its IAM certificate, the bucket read through an origin access identity', () => {
    const { template } = synths['cn-north-1'];
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 1);
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0];
    expect(distribution?.Properties.DistributionConfig).toMatchObject({
      Aliases: ['nianbao.example.gov.cn'],
      ViewerCertificate: {
        IamCertificateId: 'ASCAEXAMPLECERTIFICATE',
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      },
    });
    const cors = JSON.stringify(
      Object.values(template.findResources('AWS::S3::Bucket')).map((b) => b.Properties.CorsConfiguration),
    );
    expect(cors).toContain('https://nianbao.example.gov.cn');
  });

  it('Ningxia without a domain: the pages are not hosted, and the synth says why', () => {
    const { template, stack } = synths['cn-northwest-1'];
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    const warnings = stack.node.metadata
      .filter((m) => m.type === 'aws:cdk:warning')
      .map((m) => String(m.data));
    expect(warnings.join('\n')).toMatch(/ICP-registered domain.*-c pagesDomain/);
  });
});

describe('a China synth without an issuer', () => {
  it('stops with a message naming -c oidcIssuer', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(
      () =>
        new ReportPipelineStack(app, 'NoIssuer', {
          ...stackPropsFromContext(app),
          env: { region: 'cn-northwest-1' },
        }),
    ).toThrow(
      /Cognito user pools do not exist in cn-northwest-1: synthesize with -c oidcIssuer=https:\/\/… -c oidcAudience=CLIENT_ID/,
    );
  });
});

describe("the check against the China regions' own cfn-lint schemas", () => {
  it('names the resource and path of a property or value the region does not have', () => {
    const json = structuredClone(synths['cn-northwest-1'].template.toJSON()) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const first = (type: string) => {
      const found = Object.entries(json.Resources).find(([, r]) => r.Type === type);
      if (!found) throw new Error(`no ${type}`);
      return found;
    };
    const [fn, fnResource] = first('AWS::Lambda::Function');
    const [table, tableResource] = first('AWS::DynamoDB::Table');
    fnResource.Properties.RecursiveLoop = 'Terminate'; // in cn-north-1's Lambda schema, not in cn-northwest-1's
    tableResource.Properties.StreamSpecification = { StreamViewType: 'NEW' };
    expect(schemaErrors(Template.fromJSON(json), 'cn-northwest-1')).toEqual([
      `${table}: StreamSpecification.StreamViewType: "NEW" is not one of the cn-northwest-1 schema's values`,
      `${fn}: RecursiveLoop is not a property of AWS::Lambda::Function in cn-northwest-1 (cfnLintLambdaSchemaCnNorthwest1)`,
    ]);
  });
});
