import { useState } from "react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  IndexTable,
  InlineStack,
  Link,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import type { ProductDetail, ProductListReport, SyncStatusReport } from "../insights/types.ts";
import { DateRangePicker } from "./DateRangePicker.tsx";
import { DetailPage, FiguresCard, SideCard } from "./DetailPage.tsx";
import { formatCount, formatDateRange, formatMoney } from "./format.ts";
import { FilterField, ListFilterCard } from "./ListFilterCard.tsx";
import { ListPage, type ListPageProps } from "./ListPage.tsx";

const SORT_OPTIONS = [
  { label: "Title, A–Z", value: "title" },
  { label: "Newest first", value: "newest" },
];

/** The shop's products with stock and prices (the route supplies the report). */
export function ProductsPage({ report, sync, loading = false }: ListPageProps<ProductListReport>) {
  const { shop, query, rows } = report;
  const [productType, setProductType] = useState(query.productType ?? "");
  const [tag, setTag] = useState(query.tag ?? "");
  const [sort, setSort] = useState<string>(query.sort);
  const filtered = Boolean(query.q || query.productType || query.tag);
  const price = (row: ProductListReport["rows"][number]) =>
    row.minPrice === null
      ? "—"
      : row.minPrice === row.maxPrice
        ? formatMoney(row.minPrice, shop)
        : `${formatMoney(row.minPrice, shop)} – ${formatMoney(row.maxPrice!, shop)}`;

  return (
    <ListPage
      title="Products"
      shop={shop}
      sync={sync}
      filters={
        <ListFilterCard
          search={query.q}
          placeholder="Title or SKU"
          clearUrl="/app/products"
          filtered={filtered}
          loading={loading}
        >
          <FilterField>
            <TextField
              label="Product type"
              name="product_type"
              value={productType}
              onChange={setProductType}
              autoComplete="off"
            />
          </FilterField>
          <FilterField>
            <TextField label="Tag" name="tag" value={tag} onChange={setTag} autoComplete="off" />
          </FilterField>
          <FilterField>
            <Select label="Sort" name="sort" options={SORT_OPTIONS} value={sort} onChange={setSort} />
          </FilterField>
        </ListFilterCard>
      }
      empty={
        rows.length === 0
          ? {
              heading: filtered ? "No products match" : "No products yet",
              body: filtered
                ? "Try another search or fewer filters."
                : "Products appear here once they have been imported from Shopify.",
            }
          : null
      }
      table={{
        resourceName: { singular: "product", plural: "products" },
        itemCount: rows.length,
        headings: [
          { title: "Product" },
          { title: "Status" },
          { title: "Type" },
          { title: "Variants", alignment: "end" },
          { title: "Inventory", alignment: "end" },
          { title: "Price", alignment: "end" },
        ],
      }}
      cursors={report}
      loading={loading}
    >
      {rows.map((row, index) => (
        <IndexTable.Row id={row.id} key={row.id} position={index}>
          <IndexTable.Cell>
            <Link url={`/app/products/${row.id}`} removeUnderline monochrome>
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">
                  {row.title}
                </Text>
                {row.vendor ? (
                  <Text as="span" tone="subdued">
                    {row.vendor}
                  </Text>
                ) : null}
              </BlockStack>
            </Link>
          </IndexTable.Cell>
          <IndexTable.Cell>
            {row.status ? <Badge tone={row.status === "active" ? "success" : undefined}>{row.status}</Badge> : null}
          </IndexTable.Cell>
          <IndexTable.Cell>{row.productType ?? ""}</IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {formatCount(row.variants, shop.locale)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric tone={row.inventory <= 0 ? "critical" : undefined}>
              {formatCount(row.inventory, shop.locale)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {price(row)}
            </Text>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </ListPage>
  );
}

/** One product: sales over a range, then its variants' prices and stock. */
export function ProductDetailPage({
  product,
  sync,
  loading = false,
}: {
  product: ProductDetail;
  sync?: SyncStatusReport;
  loading?: boolean;
}) {
  const { shop } = product;
  return (
    <DetailPage
      title={product.title}
      back={{ label: "Products", url: "/app/products" }}
      shop={shop}
      sync={sync}
      side={
        <SideCard title="Details" tags={product.tags}>
          {product.status ? <Badge>{product.status}</Badge> : null}
          {product.productType ? <Text as="p">Type: {product.productType}</Text> : null}
          {product.vendor ? <Text as="p">Vendor: {product.vendor}</Text> : null}
        </SideCard>
      }
    >
      <BlockStack gap="400">
        <InlineStack gap="200" blockAlign="center" wrap>
          <DateRangePicker
            range={product.range}
            timezone={shop.timezone}
            locale={shop.locale}
            disabled={loading}
            comparison={false}
          />
          <Text as="span" tone="subdued">
            {formatDateRange(product.range.range, shop.locale)}
          </Text>
        </InlineStack>
        <FiguresCard
          size="headingLg"
          figures={[
            ["Net sales", formatMoney(product.netSales, shop)],
            ["Net units sold", formatCount(product.netUnits, shop.locale)],
          ]}
        />
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric"]}
            headings={["Variant", "SKU", "Price", "On hand"]}
            rows={product.variants.map((variant) => [
              variant.title ?? "Default",
              variant.sku ?? "",
              formatMoney(variant.price, shop),
              variant.inventoryQuantity === null ? "Not tracked" : formatCount(variant.inventoryQuantity, shop.locale),
            ])}
          />
        </Card>
      </BlockStack>
    </DetailPage>
  );
}
