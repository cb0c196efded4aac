-- Applied in production on 2026-02-01. Never edit: add a new migration instead.
CREATE TABLE invoices (
    number TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    amount NUMERIC(12, 2) NOT NULL,
    due DATE NOT NULL,
    paid BOOLEAN DEFAULT FALSE
);
