import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Construct } from 'constructs';
import { OIDC_CLAIMS } from '../functions/api/claims.ts';
import { messageOf } from '../functions/extract/errors.ts';
import { parseRegistry, type Registry } from '../functions/pipeline/registry.ts';
import { isKey } from '../functions/report/template.ts';
import { REPO_ROOT } from './bundling.ts';
import type { Identity } from './constructs/upload-api.ts';
import type { ReportPipelineStackProps } from './report-pipeline-stack.ts';

/**
 * Every input of a deployment, from CDK context (`-c name=value` or cdk.json's `context`): a deployment
 * is configured, never edited. docs/deploy.md has the table; each value is checked here and a wrong one
 * stops the synth with the option's name. The function platform's inputs (lambdaArchitecture,
 * lambdaRuntime, tracing) are read where the defaults live (lib/constructs/function-defaults.ts).
 */
export const CONTEXT = {
  registryFile: 'registryFile',
  oidcIssuer: 'oidcIssuer',
  oidcAudience: 'oidcAudience',
  oidcClientId: 'oidcClientId',
  oidcAgencyClaim: 'oidcAgencyClaim',
  oidcOfficeClaim: 'oidcOfficeClaim',
  oidcGroupsClaim: 'oidcGroupsClaim',
  allowedOrigins: 'allowedOrigins',
  operatorsEmail: 'operatorsEmail',
  removedTopics: 'removedTopics',
  uploadMaxMb: 'uploadMaxMb',
  pages: 'pages',
  pagesDomain: 'pagesDomain',
  pagesCertificate: 'pagesCertificate',
  reminderSchedule: 'reminderSchedule',
  webhookSecretStore: 'webhookSecretStore',
} as const;

/** The committed sample registry: what a synth without `-c registryFile` uses. */
export const SAMPLE_REGISTRY = path.join(REPO_ROOT, 'config/agencies.json');

const text = (scope: Construct, key: string): string | undefined => {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
};
/** A comma-separated list (or a JSON array in cdk.json). */
export const list = (scope: Construct, key: string): string[] | undefined =>
  text(scope, key)
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function enumOf<T extends string>(
  scope: Construct,
  key: string,
  options: readonly T[],
): T | undefined {
  const value = text(scope, key);
  if (value === undefined) return undefined;
  if (!isKey(options, value)) {
    throw new Error(`-c ${key}=${value}: expected one of ${options.join(', ')}`);
  }
  return value;
}

function httpsUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`-c ${key}=${value}: not a URL`);
  }
  if (url.protocol !== 'https:') throw new Error(`-c ${key}=${value}: must be an https:// URL`);
  return value.replace(/\/$/, '');
}

/** The registry file: `-c registryFile=path` (relative to the working directory), else the sample. */
export function registryFileOf(scope: Construct): string {
  const file = text(scope, CONTEXT.registryFile);
  return file === undefined ? SAMPLE_REGISTRY : path.resolve(file);
}

/** The registry of this deployment, read and validated (a bad file stops the synth naming the field). */
export function registryOf(scope: Construct): Registry {
  const file = registryFileOf(scope);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`-c registryFile=${file}: ${messageOf(error)}`);
  }
  return parseRegistry(json);
}

/**
 * The identity the API trusts: an OpenID Connect issuer from context (`-c oidcIssuer=URL -c
 * oidcAudience=ID[,ID]`), else the stack's own Cognito user pool (where Cognito exists: the stack
 * refuses it in the China regions).
 */
export function identityOf(scope: Construct): Identity {
  const issuer = text(scope, CONTEXT.oidcIssuer);
  const audience = list(scope, CONTEXT.oidcAudience);
  const firstAudience = audience?.[0];
  if (issuer === undefined) {
    if (audience !== undefined) throw new Error('-c oidcAudience needs -c oidcIssuer=URL');
    return { kind: 'cognito' };
  }
  if (audience === undefined || firstAudience === undefined) {
    throw new Error('-c oidcIssuer needs -c oidcAudience=ID (the client id the tokens are issued to)');
  }
  return {
    kind: 'oidc',
    issuer: httpsUrl(CONTEXT.oidcIssuer, issuer),
    audience,
    clientId: text(scope, CONTEXT.oidcClientId) ?? firstAudience,
    claims: {
      agency: text(scope, CONTEXT.oidcAgencyClaim) ?? OIDC_CLAIMS.agency,
      office: text(scope, CONTEXT.oidcOfficeClaim) ?? OIDC_CLAIMS.office,
      groups: text(scope, CONTEXT.oidcGroupsClaim) ?? OIDC_CLAIMS.groups,
    },
  };
}

/** Origins allowed to call the API and POST uploads: `-c allowedOrigins=https://a,https://b`; never `*`. */
export function allowedOriginsOf(scope: Construct): string[] | undefined {
  const origins = list(scope, CONTEXT.allowedOrigins);
  for (const origin of origins ?? []) {
    if (origin === '*')
      throw new Error("-c allowedOrigins=*: name the pages' origins (https://host), never *");
    const url = httpsUrl(CONTEXT.allowedOrigins, origin);
    if (new URL(url).origin !== url) throw new Error(`-c allowedOrigins=${origin}: an origin has no path`);
  }
  return origins;
}

export function uploadMaxBytesOf(scope: Construct): number | undefined {
  const mb = text(scope, CONTEXT.uploadMaxMb);
  if (mb === undefined) return undefined;
  const n = Number(mb);
  if (!Number.isInteger(n) || n < 1 || n > 5 * 1024) throw new Error(`-c uploadMaxMb=${mb}: 1 to 5120`);
  return n * 1024 * 1024;
}

/** The stack's props from context: what bin/app.ts passes (and the tests, to check the same path). */
export function stackPropsFromContext(scope: Construct): ReportPipelineStackProps {
  const origins = allowedOriginsOf(scope);
  const maxBytes = uploadMaxBytesOf(scope);
  const removed = enumOf(scope, CONTEXT.removedTopics, ['retain', 'delete'] as const);
  const schedule = enumOf(scope, CONTEXT.reminderSchedule, ['scheduler', 'rule'] as const);
  const pages = enumOf(scope, CONTEXT.pages, ['true', 'false'] as const);
  const domain = text(scope, CONTEXT.pagesDomain);
  const certificate = text(scope, CONTEXT.pagesCertificate);
  if ((domain === undefined) !== (certificate === undefined)) {
    throw new Error('-c pagesDomain and -c pagesCertificate go together (the certificate of that domain)');
  }
  return {
    registry: registryOf(scope),
    identity: identityOf(scope),
    ...(origins === undefined ? {} : { allowedOrigins: origins }),
    ...(maxBytes === undefined ? {} : { uploadSizeRange: { min: 1, max: maxBytes } }),
    ...(removed === undefined ? {} : { removedTopics: removed }),
    ...(schedule === undefined ? {} : { reminderSchedule: schedule }),
    operatorsEmails: list(scope, CONTEXT.operatorsEmail) ?? [],
    pages:
      pages === 'false'
        ? false
        : domain === undefined || certificate === undefined
          ? {}
          : { domain: { name: domain, certificate } },
  };
}
