// A typed consumer of the generated TypeScript types (bin/client-journey compiles it with
// `tsc --strict` beside api.d.ts): a page, a post and an error read the way an app reads
// them. A field the schema wrongly marks optional, or a renamed one, fails the lane.
import type { components, paths } from "./api";

type DiscoverPage =
  paths["/api/v1/feeds/discover/"]["get"]["responses"][200]["content"]["application/json"];
type Post = components["schemas"]["Post"];
type ApiError = components["schemas"]["ApiError"];

export const nextCursor = (page: DiscoverPage): string | null => page.next_cursor;
export const titles = (page: DiscoverPage): string[] => page.results.map((item) => item.post.title);
export const byline = (post: Post): string => `${post.author.username} · ${post.counts.likes} ♥`;
export const published = (post: Post): Date | null =>
  post.published_at === null ? null : new Date(post.published_at);
export const message = (error: ApiError): string => `${error.code}: ${error.detail}`;
