import { TerraformStack, Token, AwsProvider } from "./framework.js";
import { input } from "./inputs.js";

/** The hashicorp/aws major versions the module synthesizes for. */
export type AwsProviderMajor = 5 | 6;

/**
 * Version range of each major: 6.26.0 is the first release that streams REST integrations for longer than 29 s
 * (`response_transfer_mode` came in 6.25.0, `tenancy_config` in 6.23.0), 5.100.0 the last 5.x.
 */
export const AWS_PROVIDER_VERSIONS: Record<AwsProviderMajor, string> = {
  5: ">= 5.100.0, < 6.0.0",
  6: ">= 6.26.0, < 7.0.0",
};

/** The first provider release that can manage Lambda tenant isolation. */
export const TENANCY_MIN_PROVIDER = "6.23.0";

/** The first provider release that can stream a REST integration past 29 s (`response_transfer_mode`, with its timeout up to 900 s). */
export const STREAMING_MIN_PROVIDER = "6.26.0";

/**
 * The provider major to synthesize for, from `MCP_AWS_PROVIDER_MAJOR`
 * (default 6). Anything else is refused so a typo cannot silently pick a major.
 */
export function awsProviderMajor(env: NodeJS.ProcessEnv = process.env): AwsProviderMajor {
  const raw = env.MCP_AWS_PROVIDER_MAJOR?.trim();
  if (raw === undefined || raw === "") return 6;
  if (raw === "5" || raw === "6") return Number(raw) as AwsProviderMajor;
  throw new Error(`MCP_AWS_PROVIDER_MAJOR must be 5 or 6 (the hashicorp/aws major to synthesize for), got "${raw}". Unset it for 6.`);
}

/** Terraform 1.5 brings `check` blocks and `startswith`, both used by the configuration. */
export const TERRAFORM_VERSION = ">= 1.5.0";

/** Pins Terraform and `required_providers.aws` to the range of `major`. */
export function requireVersions(stack: TerraformStack, major: AwsProviderMajor): void {
  stack.addOverride("terraform.required_version", TERRAFORM_VERSION);
  stack.addOverride("terraform.required_providers.aws", { source: "hashicorp/aws", version: AWS_PROVIDER_VERSIONS[major] });
}

/**
 * HCL: whether the root provider calls FIPS endpoints. Unset, FIPS is on in AWS GovCloud (US), where FedRAMP systems
 * expect it, and otherwise left to the provider (AWS_USE_FIPS_ENDPOINT, the profile). Only variables: a provider's
 * configuration cannot read the partition data source, which needs the provider.
 */
export const USE_FIPS_ENDPOINT =
  `${input.use_fips_endpoints} != null ? ${input.use_fips_endpoints} : (startswith(coalesce(${input.region}, "unset"), "us-gov-") ? true : null)`;

/** The root stack's provider: region and FIPS endpoints from the inputs, credentials from the caller's chain. */
export function configureAwsProvider(stack: TerraformStack): AwsProvider {
  return new AwsProvider(stack, "aws", { region: `\${${input.region}}`, useFipsEndpoint: Token.asAny(`\${${USE_FIPS_ENDPOINT}}`) });
}
