//! Rows in PostgreSQL's binary `COPY` format, sent in large chunks.
//!
//! The driver's own binary writer hands every 4 KB to the connection: with articles of ~6 KB,
//! that is one system call and one server wake-up per row, which was most of an import's time.
//! The format (header, rows of length-prefixed fields, trailer) is the one documented for
//! `COPY … FROM STDIN BINARY`.

use std::io::Write;

use govmedia_store_api::{Result, StoreError};
use postgres::CopyInWriter;

use crate::pg_err;

/// Bytes buffered before they are sent.
const CHUNK: usize = 1 << 20;

pub(crate) struct CopyRows<'a> {
    sink: CopyInWriter<'a>,
    buf: Vec<u8>,
    location: &'a str,
}

impl<'a> CopyRows<'a> {
    pub(crate) fn new(sink: CopyInWriter<'a>, location: &'a str) -> Self {
        let mut buf = Vec::with_capacity(CHUNK + (64 << 10));
        buf.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        buf.extend_from_slice(&0i32.to_be_bytes()); // flags
        buf.extend_from_slice(&0i32.to_be_bytes()); // header extension length
        CopyRows { sink, buf, location }
    }

    /// Starts a row of `fields` fields; sends what is buffered when it is a chunk.
    pub(crate) fn row(&mut self, fields: i16) -> Result<()> {
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        self.buf.extend_from_slice(&fields.to_be_bytes());
        Ok(())
    }

    fn field(&mut self, value: Option<&[u8]>) {
        match value {
            None => self.buf.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(v) => {
                let len = i32::try_from(v.len()).expect("a field is smaller than 2 GB");
                self.buf.extend_from_slice(&len.to_be_bytes());
                self.buf.extend_from_slice(v);
            }
        }
    }

    /// A `TEXT` field.
    pub(crate) fn text(&mut self, value: Option<&str>) {
        self.field(value.map(str::as_bytes));
    }

    /// An `INT8` field.
    pub(crate) fn int8(&mut self, value: Option<i64>) {
        self.field(value.map(i64::to_be_bytes).as_ref().map(|b| &b[..]));
    }

    /// An `INT4` field.
    pub(crate) fn int4(&mut self, value: Option<i32>) {
        self.field(value.map(i32::to_be_bytes).as_ref().map(|b| &b[..]));
    }

    fn send(&mut self) -> Result<()> {
        let sent = self.sink.write_all(&self.buf).and_then(|()| self.sink.flush());
        self.buf.clear();
        sent.map_err(|e| StoreError::backend(self.location, "PostgreSQL 写入失败", e))
    }

    /// Sends the rest and the trailer; returns the number of rows the server took.
    pub(crate) fn finish(mut self) -> Result<u64> {
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        self.send()?;
        self.sink.finish().map_err(|e| pg_err(self.location, e))
    }
}
