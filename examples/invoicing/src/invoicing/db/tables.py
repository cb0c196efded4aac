from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, Numeric, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class InvoiceRow(Base):
    __tablename__ = "invoices"
    number = Column(String, primary_key=True)
    customer_id = Column(Integer, nullable=False)
    amount = Column(Numeric(12, 2), nullable=False)
    due = Column(Date, nullable=False)
    paid = Column(Boolean, default=False)
