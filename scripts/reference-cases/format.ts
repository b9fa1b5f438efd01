/** The page as Prettier formats it (the repository's style), so regeneration and `npm run lint` agree. */
import * as prettier from "prettier";
import { renderReferenceCases } from "./cases.ts";

export async function formattedReferenceCases(filepath: string): Promise<string> {
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(renderReferenceCases(), { ...options, filepath });
}
