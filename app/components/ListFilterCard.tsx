import { useState, type ReactNode } from "react";
import { Form } from "@remix-run/react";
import { Button, Card, InlineStack, TextField } from "@shopify/polaris";

/** A filter of a list page, sized to share a wrapping row with the others. */
export function FilterField({ children, basis = "9rem" }: { children: ReactNode; basis?: string }) {
  return <div style={{ flex: `1 1 ${basis}` }}>{children}</div>;
}

/**
 * The search box and filters of a list page, sent as the page's query (GET): a new search starts
 * again from the first page. "Clear" returns to the unfiltered list.
 */
export function ListFilterCard({
  search,
  placeholder,
  clearUrl,
  filtered,
  loading,
  children,
}: {
  search: string;
  placeholder: string;
  clearUrl: string;
  filtered: boolean;
  loading: boolean;
  children: ReactNode;
}) {
  const [q, setQ] = useState(search);
  return (
    <Card>
      <Form method="get">
        <InlineStack gap="300" wrap blockAlign="end">
          <FilterField basis="14rem">
            <TextField
              label="Search"
              name="q"
              value={q}
              onChange={setQ}
              placeholder={placeholder}
              autoComplete="off"
              clearButton
              onClearButtonClick={() => setQ("")}
            />
          </FilterField>
          {children}
          <InlineStack gap="200">
            <Button submit variant="primary" loading={loading}>
              Apply
            </Button>
            {filtered ? <Button url={clearUrl}>Clear</Button> : null}
          </InlineStack>
        </InlineStack>
      </Form>
    </Card>
  );
}
