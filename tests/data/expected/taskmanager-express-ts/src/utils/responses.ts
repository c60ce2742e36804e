import type { Request, Response } from 'express';

// The response shapes every handler uses, so all resources answer alike.
export interface Page<Row> {
  rows: Row[];
  total: number | null;
  limit: number;
  offset: number;
  nextCursor?: string | null;
}

function sendList<Row>(res: Response, page: Page<Row>): void {
  res.status(200).json({
    data: page.rows,
    meta: {
      total: page.total,
      limit: page.limit,
      offset: page.offset,
      next_cursor: page.nextCursor ?? null,
    },
  });
}

function sendCreated(res: Response, location: string, body: unknown): void {
  res.status(201).location(location).json(body);
}

function sendNoContent(res: Response): void {
  res.status(204).end();
}

// The URL of one item, for the Location header: mount path + collection + key values.
// Key values as they appear in JSON: a timestamp key (a Date from pg) as ISO 8601.
function keySegment(value: unknown): string {
  return `/${encodeURIComponent(value instanceof Date ? value.toISOString() : String(value))}`;
}

function itemLocation(req: Request, collectionPath: string, keyValues: unknown[]): string {
  const keys = keyValues.map(keySegment).join('');
  return `${req.baseUrl}${collectionPath}${keys}`;
}

export { sendList, sendCreated, sendNoContent, itemLocation };
