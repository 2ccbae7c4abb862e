import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CustomResource, Duration, Fn, RemovalPolicy, Stack, Tokenization, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ROUTE_SPECS } from '../../functions/api/routes.ts';
import type { FunctionEnvironment, PagesDeployConfig } from '../../functions/config.ts';
import { ENV } from '../../functions/env-names.ts';
import type { PagesConfig } from '../../functions/pages/site.ts';
import { REPO_ROOT } from '../bundling.ts';
import { defaultResource } from '../default-resource.ts';
import { acknowledgeRole, S3_PUT_ABORT } from '../nag-acknowledgements.ts';
import { isChinaRegion } from '../region.ts';
import { PipelineFunction } from './function-defaults.ts';
import type { SignIn } from './upload-api.ts';

export interface HostedPagesProps {
  api: apigw.HttpApi;
  signIn: SignIn;
  /** The access-log bucket (CloudFront's standard logs go under `pages/`). */
  accessLogs: s3.IBucket;
  /**
   * An alternate domain name and its certificate. In the China regions CloudFront cannot serve content
   * on its own `*.cloudfront.cn` domain: a domain with an ICP recordal and an IAM server certificate (no
   * ACM for CloudFront there) are required; elsewhere they are optional (an ACM certificate ARN in us-east-1).
   */
  domain?: { name: string; certificate: string };
}

/** The CSP hashes of the inline `<script>` and `<style>` blocks of the pages, as the browser computes them. */
export function inlineHashes(tag: 'script' | 'style'): string[] {
  const hashes = new Set<string>();
  for (const page of ['index.html', 'supervisor.html']) {
    const html = readFileSync(path.join(REPO_ROOT, 'local/web', page), 'utf8');
    for (const m of html.matchAll(new RegExp(`<${tag}(?![^>]*\\bsrc=)[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))) {
      hashes.add(
        `'sha256-${createHash('sha256')
          .update(m[1] ?? '')
          .digest('base64')}'`,
      );
    }
  }
  return [...hashes].sort();
}

/**
 * Security headers on every answer: the pages run only their own scripts and styles (same-origin files,
 * and their inline blocks by hash: no 'unsafe-inline'), talk only to their own origin, the upload bucket
 * and the sign-in issuer, are never framed, and HTTPS is remembered for two years.
 */
export function contentSecurityPolicy(issuer: string): string {
  const issuerOrigin = issuer.startsWith('https://') ? new URL(issuer).origin : '';
  return [
    "default-src 'self'",
    ["script-src 'self'", ...inlineHashes('script')].join(' '),
    ["style-src 'self'", ...inlineHashes('style')].join(' '),
    "img-src 'self' data:",
    `connect-src 'self' https://*.amazonaws.com https://*.amazonaws.com.cn ${issuerOrigin}`.trim(),
    `form-action 'self' ${issuerOrigin}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The pages hosted on AWS: a private bucket read only by CloudFront (origin access control; in China,
 * where CloudFormation has no origin access control, an origin access identity), the API's routes
 * behind the same distribution (so the pages call their own origin: no CORS for the API), security
 * headers, and a custom resource that publishes local/web and a generated config.json on each deploy.
 */
/** The S3 key of a function's code asset: it changes with the code (the pages' files are bundled in). */
function codeKeyOf(fn: IFunction): string {
  const cfn = fn.node.defaultChild;
  if (!(cfn instanceof CfnFunction) || Tokenization.isResolvable(cfn.code)) {
    throw new Error(`${fn.node.path}: no code asset to key the pages' publication by`);
  }
  return cfn.code.s3Key ?? '';
}

export class HostedPages extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://{domain}`: the pages' origin (CORS of the upload bucket). */
  readonly origin: string;
  private readonly customDomain: boolean;

  constructor(scope: Construct, id: string, props: HostedPagesProps) {
    super(scope, id);
    const china = isChinaRegion(Stack.of(this).region);
    if (china && props.domain === undefined) {
      throw new Error(
        'CloudFront in the China regions serves only an ICP-registered domain: -c pagesDomain=… -c pagesCertificate=IAM_CERT_ID, or -c pages=false',
      );
    }
    this.bucket = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'pages-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Security headers of the report pages',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.signIn.issuer),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });
    const site = china
      ? origins.S3BucketOrigin.withOriginAccessIdentity(this.bucket)
      : origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    // The API's host from its endpoint (https://{id}.execute-api.{region}.amazonaws.com[.cn]).
    const apiOrigin = new origins.HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
    };
    const apiPrefixes = [...new Set(ROUTE_SPECS.map((r) => `/${r.path.split('/')[1]}*`))];
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: '政府信息公开工作年度报告：上传与督查页面',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: site,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: Object.fromEntries(apiPrefixes.map((p) => [p, apiBehavior])),
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'pages/',
      ...(props.domain !== undefined && !china
        ? {
            domainNames: [props.domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificate),
            // Only with a certificate of our own can the minimum TLS version be set.
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (props.domain !== undefined && china) {
      // CloudFront in China takes an IAM server certificate (no ACM there), which the L2 cannot express.
      const cfn = defaultResource(this.distribution);
      cfn.addPropertyOverride('DistributionConfig.Aliases', [props.domain.name]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: props.domain.certificate,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      });
    }
    this.customDomain = props.domain !== undefined;
    this.origin = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    const environment: FunctionEnvironment<typeof PagesDeployConfig> = {
      [ENV.pagesBucket]: this.bucket.bucketName,
    };
    const publish = new PipelineFunction(this, 'Publish', {
      entry: 'functions/handlers/pages-deploy-lambda.ts',
      memorySize: 256,
      timeout: Duration.minutes(2),
      withPages: true,
      serviceName: 'report-pipeline-pages',
      environment,
    });
    this.bucket.grantPut(publish);
    acknowledgeRole(publish, {
      ...S3_PUT_ABORT,
      [`AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(defaultResource(this.bucket))}.Arn>/*]`]:
        'Publishes the pages: it writes any key of the site bucket, which holds the pages and nothing else.',
    });
    const config: PagesConfig = {
      apiUrl: '',
      issuer: props.signIn.issuer,
      clientId: props.signIn.clientId,
      claims: props.signIn.claims,
    };
    new CustomResource(this, 'Published', {
      serviceToken: publish.functionArn,
      resourceType: 'Custom::HostedPages',
      // Any change of the pages' configuration is an Update; the pages' files change the function's code
      // hash, and with it the token (so their change republishes too).
      properties: {
        Config: Stack.of(this).toJsonString(config),
        Code: codeKeyOf(publish),
      },
    });
    this.acknowledge(china);
  }

  private acknowledge(china: boolean): void {
    const acks: Record<string, string> = {
      'AwsSolutions-CFR1':
        'No geo restriction: agencies and supervisors sign in from anywhere their work takes them; the API authorizes every call.',
      'AwsSolutions-CFR2':
        'No WAF web ACL by default (a per-deployment cost decision): the pages are static and every API route needs a valid token.',
    };
    if (!this.customDomain) {
      acks['AwsSolutions-CFR4'] =
        "CloudFront's default domain and certificate (no custom domain given) cannot set the minimum TLS version; give -c pagesDomain and -c pagesCertificate to enforce TLSv1.2_2021.";
    } else if (china) {
      acks['AwsSolutions-CFR4'] =
        'TLSv1.2_2021 with the IAM server certificate is set by a property override (CloudFront in China has no ACM), which cdk-nag does not read.';
    }
    if (china)
      acks['AwsSolutions-CFR7'] =
        'CloudFormation has no origin access control in the China regions: an origin access identity reads the bucket instead.';
    for (const [id, reason] of Object.entries(acks))
      Validations.of(this.distribution).acknowledge({ id, reason });
  }
}
