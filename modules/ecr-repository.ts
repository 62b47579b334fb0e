import { Construct } from "constructs";
import { EcrRepository, EcrLifecyclePolicy } from "./framework.js";
import { countWhen, expr, optionalAttr, withAddress } from "./expressions.js";
import { input } from "./inputs.js";

/** Images kept in the repository; older ones expire. Lambda needs the image it runs, so keep releases to roll back to. */
export const ECR_IMAGES_KEPT = 30;

/**
 * The server's image repository, created unless `var.image_uri` points at an
 * image elsewhere: immutable tags, scan on push, customer key
 * (CKV_AWS_51, CKV_AWS_163, CKV_AWS_136), and a lifecycle policy.
 */
export class ImageRepository extends Construct {
  /** HCL: the repository URL, or null when `image_uri` is used. */
  readonly repositoryUrl: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const created = `${input.image_uri} == null`;
    const repository = withAddress(
      new EcrRepository(this, "this", {
        count: countWhen(created),
        name: expr(input.name),
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: expr(input.kms_key_arn) }],
      }),
      "this",
    );
    withAddress(
      new EcrLifecyclePolicy(this, "lifecycle", {
        count: countWhen(created),
        repository: expr(optionalAttr(repository, "name")),
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `Keep the ${ECR_IMAGES_KEPT} most recent images`,
              selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: ECR_IMAGES_KEPT },
              action: { type: "expire" },
            },
          ],
        }),
      }),
      "this",
    );
    this.repositoryUrl = optionalAttr(repository, "repository_url");
  }
}
