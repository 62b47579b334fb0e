import { IConstruct } from "constructs";
import { type IAspect, TerraformResource } from "./framework.js";
import { exprMap } from "./expressions.js";
import { input } from "./inputs.js";

interface Taggable {
  tags: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  // Generated resource classes expose `tagsInput` exactly when the resource type takes tags.
  return TerraformResource.isTerraformResource(node) && "tagsInput" in node;
}

/**
 * Puts `var.tags` on every taggable resource. Tags are set per resource, not as
 * provider `default_tags`, because a module consumer's provider is not ours to configure.
 */
export class TagEverything implements IAspect {
  visit(node: IConstruct): void {
    if (isTaggable(node)) node.tags = exprMap(input.tags);
  }
}
