//! MySQL and MariaDB: catalogue, sampling and column scanning over `mysql_async`.

use std::time::Instant;

use futures_util::StreamExt;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, OptsBuilder, Row, Value};

use super::{
    ColumnAge, DbKind, DbOptions, DbTarget, TableFilter, TableScan, is_record_time, quote_mysql,
    sample_percent,
};
use crate::classification::column::ColumnProfiler;
use crate::detection::Engine;
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
struct Relation {
    schema: String,
    name: String,
    view: bool,
    estimate: Option<u64>,
    columns: Vec<Column>,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    data_type: String,
    column_type: String,
}

fn db_error(target: &DbTarget, what: &str, e: &mysql_async::Error) -> Error {
    Error::Database {
        target: target.display(),
        message: format!("{what}: {e}"),
    }
}

/// The connection settings: the URL, then `MYSQL_PWD` for the password.
fn opts(target: &DbTarget) -> Result<Opts> {
    let opts = Opts::from_url(target.url()).map_err(|e| Error::Database {
        target: target.display(),
        message: format!("invalid URL: {e}"),
    })?;
    let mut builder = OptsBuilder::from_opts(opts.clone());
    if opts.pass().is_none()
        && let Ok(p) = std::env::var("MYSQL_PWD")
    {
        builder = builder.pass(Some(p));
    }
    Ok(Opts::from(builder))
}

async fn connect(opts: &Opts, target: &DbTarget) -> Result<Conn> {
    Conn::new(opts.clone())
        .await
        .map_err(|e| db_error(target, "cannot connect", &e))
}

const SYSTEM_SCHEMAS: &str = "('mysql', 'information_schema', 'performance_schema', 'sys')";

fn text(row: &Row, i: usize) -> String {
    match row.as_ref(i) {
        Some(Value::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        Some(Value::Int(n)) => n.to_string(),
        Some(Value::UInt(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn number(row: &Row, i: usize) -> Option<u64> {
    match row.as_ref(i) {
        Some(Value::Int(n)) => Some((*n).max(0) as u64),
        Some(Value::UInt(n)) => Some(*n),
        Some(Value::Bytes(b)) => std::str::from_utf8(b).ok()?.parse().ok(),
        _ => None,
    }
}

async fn catalogue(
    conn: &mut Conn,
    target: &DbTarget,
    database: Option<&str>,
) -> Result<Vec<Relation>> {
    let only = match database {
        Some(db) => format!(
            " AND TABLE_SCHEMA = '{}'",
            db.replace('\\', "\\\\").replace('\'', "''")
        ),
        None => String::new(),
    };
    let rels: Vec<Row> = conn
        .query(format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES
             WHERE TABLE_SCHEMA NOT IN {SYSTEM_SCHEMAS}{only} ORDER BY 1, 2"
        ))
        .await
        .map_err(|e| db_error(target, "reading the catalogue", &e))?;
    let cols: Vec<Row> = conn
        .query(format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE
             FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA NOT IN {SYSTEM_SCHEMAS}{only}
             ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
        ))
        .await
        .map_err(|e| db_error(target, "reading the catalogue", &e))?;
    let mut out: Vec<Relation> = rels
        .iter()
        .map(|r| Relation {
            schema: text(r, 0),
            name: text(r, 1),
            view: text(r, 2).contains("VIEW"),
            estimate: number(r, 3),
            columns: Vec::new(),
        })
        .collect();
    for c in &cols {
        let (schema, table) = (text(c, 0), text(c, 1));
        if let Some(rel) = out
            .iter_mut()
            .find(|r| r.schema == schema && r.name == table)
        {
            rel.columns.push(Column {
                name: text(c, 2),
                data_type: text(c, 3).to_ascii_lowercase(),
                column_type: text(c, 4),
            });
        }
    }
    Ok(out)
}

fn text_expr(c: &Column, scan_blobs: bool) -> Option<String> {
    let q = quote_mysql(&c.name);
    let scanned = match c.data_type.as_str() {
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "json" | "enum"
        | "set" | "int" | "integer" | "bigint" | "mediumint" | "decimal" | "date" | "datetime"
        | "timestamp" | "inet4" | "inet6" | "uuid" => true,
        "blob" | "tinyblob" | "mediumblob" | "longblob" | "binary" | "varbinary" => scan_blobs,
        _ => false,
    };
    scanned.then(|| format!("CAST({q} AS CHAR)"))
}

fn failed(database: &str, rel: &Relation, reason: &str) -> TableScan {
    TableScan {
        kind: DbKind::Mysql,
        database: database.to_string(),
        schema: rel.schema.clone(),
        table: rel.name.clone(),
        relation: if rel.view { "view" } else { "table" }.to_string(),
        rows_total: rel.estimate,
        rows_read: 0,
        sampled: false,
        columns: Vec::new(),
        ages: Vec::new(),
        error: (!reason.is_empty()).then(|| reason.to_string()),
        seconds: 0.0,
    }
}

/// Scans every table of `target` (the URL's database, or every non-system database), calling
/// `emit` for each as it finishes. Fails only when the server cannot be reached or its
/// catalogue read.
pub fn scan(
    engine: &Engine,
    target: &DbTarget,
    options: &DbOptions,
    emit: &mut dyn FnMut(TableScan),
) -> Result<()> {
    let filter = TableFilter::new(options)?;
    let runtime = super::runtime(target)?;
    runtime.block_on(async {
        let opts = opts(target)?;
        let mut first = connect(&opts, target).await?;
        let version: Option<String> = first.query_first("SELECT VERSION()").await.ok().flatten();
        let mariadb = version.as_deref().is_some_and(|v| v.contains("MariaDB"));
        let database = opts.db_name().map(String::from);
        let relations: Vec<Relation> = catalogue(&mut first, target, database.as_deref())
            .await?
            .into_iter()
            .filter(|r| filter.allows(&r.schema, &r.schema, &r.name))
            .collect();
        let wanted = options.connections.max(1).min(relations.len().max(1));
        let mut conns = vec![first];
        while conns.len() < wanted {
            match connect(&opts, target).await {
                Ok(c) => conns.push(c),
                Err(_) => break,
            }
        }
        let width = conns.len();
        let pool = std::cell::RefCell::new(conns);
        let emit = std::cell::RefCell::new(emit);
        futures_util::stream::iter(relations)
            .for_each_concurrent(width, |rel| {
                let (pool, emit, opts) = (&pool, &emit, &opts);
                async move {
                    let taken = pool.borrow_mut().pop();
                    let conn = match taken {
                        Some(c) => Some(c),
                        None => connect(opts, target).await.ok(),
                    };
                    let (scan, conn) = match conn {
                        Some(mut c) => {
                            let scan = scan_table(&mut c, engine, options, mariadb, &rel).await;
                            (scan, Some(c))
                        }
                        None => (
                            failed(&rel.schema, &rel, "connection lost and could not reconnect"),
                            None,
                        ),
                    };
                    // A connection that failed is replaced rather than reused.
                    match conn {
                        Some(c) if scan.error.is_none() => pool.borrow_mut().push(c),
                        _ => {
                            if let Ok(c) = connect(opts, target).await {
                                pool.borrow_mut().push(c);
                            }
                        }
                    }
                    (emit.borrow_mut())(scan);
                }
            })
            .await;
        Ok(())
    })
}

async fn scan_table(
    conn: &mut Conn,
    engine: &Engine,
    options: &DbOptions,
    mariadb: bool,
    rel: &Relation,
) -> TableScan {
    let started = Instant::now();
    let mut out = failed(&rel.schema, rel, "");
    let timeout = if mariadb {
        format!(
            "SET SESSION max_statement_time = {}",
            options.statement_timeout.as_secs_f64()
        )
    } else {
        format!(
            "SET SESSION max_execution_time = {}",
            options.statement_timeout.as_millis()
        )
    };
    let setup = async {
        conn.query_drop(timeout).await?;
        conn.query_drop("START TRANSACTION READ ONLY").await
    };
    if let Err(e) = setup.await {
        out.error = Some(e.to_string());
        return out;
    }
    let result = scan_in_transaction(conn, engine, options, rel, &mut out).await;
    let _ = conn.query_drop("ROLLBACK").await;
    if let Err(e) = result {
        out.error = Some(e.to_string());
    }
    out.seconds = started.elapsed().as_secs_f64();
    out
}

async fn scan_in_transaction(
    conn: &mut Conn,
    engine: &Engine,
    options: &DbOptions,
    rel: &Relation,
    out: &mut TableScan,
) -> std::result::Result<(), mysql_async::Error> {
    let table = format!("{}.{}", quote_mysql(&rel.schema), quote_mysql(&rel.name));
    let scanned: Vec<(usize, String)> = rel
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| text_expr(c, options.scan_blobs).map(|e| (i, e)))
        .collect();
    let mut estimate = rel.estimate;
    if (estimate.is_none() || rel.view) && !options.full {
        let n: Option<u64> = conn
            .query_first(format!("SELECT COUNT(*) FROM {table}"))
            .await?;
        estimate = n;
    }
    let total = estimate.unwrap_or(0);
    let sample = !options.full && total > options.sample_rows;
    let exprs = super::select_list(&scanned);
    let sql = if options.full {
        format!("SELECT {exprs} FROM {table}")
    } else if sample {
        let p = sample_percent(options.sample_rows, total) / 100.0;
        format!(
            "SELECT {exprs} FROM {table} WHERE RAND() < {p} LIMIT {}",
            options.sample_rows
        )
    } else {
        format!("SELECT {exprs} FROM {table} LIMIT {}", options.sample_rows)
    };
    let mut profilers: Vec<ColumnProfiler<'_>> = scanned
        .iter()
        .map(|(i, _)| ColumnProfiler::new(engine, &rel.columns[*i].name))
        .collect();
    let mut undecodable = vec![0u64; scanned.len()];
    let mut scratch = engine.scratch();
    let mut rows = 0u64;
    let mut read_error = None;
    match conn.query_iter(sql).await {
        Ok(mut result) => {
            let outcome = result
                .for_each(|row: Row| {
                    rows += 1;
                    for (k, p) in profilers.iter_mut().enumerate() {
                        match row.as_ref(k) {
                            Some(Value::NULL) | None => p.add_null(),
                            Some(Value::Bytes(b)) => p.add(&mut scratch, b),
                            Some(Value::Int(n)) => p.add(&mut scratch, n.to_string().as_bytes()),
                            Some(Value::UInt(n)) => p.add(&mut scratch, n.to_string().as_bytes()),
                            Some(_) => undecodable[k] += 1,
                        }
                    }
                })
                .await;
            if let Err(e) = outcome {
                read_error = Some(e);
            }
        }
        Err(e) => read_error = Some(e),
    }
    out.read(rows, sample, options.full && read_error.is_none(), estimate);
    out.columns = super::column_scans(
        rel.columns
            .iter()
            .map(|c| (c.name.as_str(), c.column_type.as_str())),
        &scanned,
        &profilers,
        &undecodable,
    );
    if let Some(e) = read_error {
        return Err(e);
    }
    for c in rel
        .columns
        .iter()
        .filter(|c| {
            matches!(c.data_type.as_str(), "date" | "datetime" | "timestamp")
                && is_record_time(&c.name)
        })
        .take(3)
    {
        let q = quote_mysql(&c.name);
        let row: Option<Row> = conn
            .query_first(format!(
                "SELECT CAST(MIN({q}) AS CHAR), CAST(MAX({q}) AS CHAR), COUNT({q}) FROM {table}"
            ))
            .await?;
        let histogram: Vec<Row> = conn
            .query(format!(
                "SELECT DATE_FORMAT({q}, '%Y-%m'), COUNT(*) FROM {table} WHERE {q} IS NOT NULL GROUP BY 1 ORDER BY 1"
            ))
            .await?;
        let opt = |r: &Row, i: usize| -> Option<String> {
            match r.as_ref(i) {
                Some(Value::Bytes(b)) => Some(String::from_utf8_lossy(b).into_owned()),
                _ => None,
            }
        };
        out.ages.push(ColumnAge {
            column: c.name.clone(),
            oldest: row.as_ref().and_then(|r| opt(r, 0)),
            newest: row.as_ref().and_then(|r| opt(r, 1)),
            records: row.as_ref().and_then(|r| number(r, 2)).unwrap_or(0),
            histogram: histogram
                .iter()
                .map(|r| (text(r, 0), number(r, 1).unwrap_or(0)))
                .collect(),
        });
    }
    Ok(())
}
