/**
 * The AWS China regions (partition `aws-cn`): Beijing, operated by Sinnet, and Ningxia, operated by NWCD.
 * What differs there is recorded, with its source, in lib/china-availability.json and docs/deploy.md.
 */
export const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;

export const isChinaRegion = (region: string): boolean => CHINA_REGIONS.some((r) => r === region);
