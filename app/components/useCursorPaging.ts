import { useNavigate, useSearchParams } from "@remix-run/react";

/** IndexTable pagination for a list page with keyset cursors: the same query, another cursor. */
export function useCursorPaging(report: { previousCursor: string | null; nextCursor: string | null }) {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const go = (key: "after" | "before", cursor: string | null) => {
    if (!cursor) return;
    const next = new URLSearchParams(searchParams);
    next.delete("after");
    next.delete("before");
    next.set(key, cursor);
    navigate(`?${next}`);
  };
  return {
    hasPrevious: report.previousCursor !== null,
    hasNext: report.nextCursor !== null,
    onPrevious: () => go("before", report.previousCursor),
    onNext: () => go("after", report.nextCursor),
  };
}
