//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`. Written by
//! hand beside the routes (`api.rs`): a route added there is added here, and the API test
//! walks every path of this document.

use axum::Json;
use serde_json::{Value, json};

fn query(name: &str, schema: Value, required: bool, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": required, "schema": schema, "description": description })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({
        "200": { "description": description, "content": { "application/json": { "schema": schema } } },
        "401": { "$ref": "#/components/responses/Error" },
        "403": { "$ref": "#/components/responses/Error" },
        "404": { "$ref": "#/components/responses/Error" },
        "400": { "$ref": "#/components/responses/Error" }
    })
}

/// A route with a JSON body also answers 415 (not JSON) and 422 (JSON of the wrong shape).
fn with_body_errors(mut responses: Value) -> Value {
    for code in ["415", "422"] {
        responses[code] = json!({ "$ref": "#/components/responses/Error" });
    }
    responses
}

fn run_param() -> Value {
    query("run", json!({ "type": "integer", "format": "int64" }), false, "评估编号；缺省为最近一次完成的评估")
}

fn id_param() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" }, "description": "账号 ID" })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}

/// The document.
pub fn spec() -> Value {
    let object = json!({ "type": "object" });
    let list = json!({ "type": "array", "items": { "type": "object" } });
    let text = |d: &str| query(d, json!({ "type": "string" }), false, d);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "govmedia API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "政务新媒体评估监测系统的数据接口：评估记录、排名、账号诊断、问题审核。按用户角色与范围返回数据。"
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }, { "session": [] }],
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "govmedia token create 生成的令牌" },
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE }
            },
            "responses": {
                "Error": {
                    "description": "错误（401 未登录，403 无权限，404 不存在或无权查看，400 请求无效）",
                    "content": { "application/json": { "schema": {
                        "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } }
                    } } }
                }
            }
        },
        "paths": {
            "/me": { "get": { "summary": "当前用户", "responses": ok("用户名、角色与范围", object.clone()) } },
            "/runs": {
                "get": { "summary": "评估记录（最新在前）", "responses": ok("评估记录", list.clone()) },
                "post": {
                    "summary": "按最近一次评估的选项重新评估（管理员、评估人员）",
                    "parameters": [{ "name": "X-CSRF-Token", "in": "header", "required": false, "schema": { "type": "string" } }],
                    "responses": {
                        "202": { "description": "已排队" },
                        "401": { "$ref": "#/components/responses/Error" },
                        "403": { "$ref": "#/components/responses/Error" }
                    }
                }
            },
            "/overview": { "get": {
                "summary": "评估概览（按层级得分、否决项、未评估账号）",
                "parameters": [run_param()],
                "responses": ok("概览", object.clone())
            } },
            "/rankings": { "get": {
                "summary": "排名",
                "parameters": [run_param(), text("level"), text("region"), text("field"), text("kind")],
                "responses": ok("排名行", list.clone())
            } },
            "/accounts/{id}": { "get": {
                "summary": "账号诊断：得分树、问题与证据、更新日历、历次得分",
                "parameters": [id_param(), run_param()],
                "responses": ok("账号", object.clone())
            } },
            "/accounts/{id}/reviews": { "post": {
                "summary": "审核问题：确认、驳回（须填理由）或标记已整改（运营单位；将排队复查）",
                "parameters": [id_param(), { "name": "X-CSRF-Token", "in": "header", "required": false, "schema": { "type": "string" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object",
                    "required": ["fingerprint", "decision"],
                    "properties": {
                        "fingerprint": { "type": "string", "description": "问题指纹（账号诊断中每条问题的 fingerprint）" },
                        "decision": { "type": "string", "enum": ["confirmed", "dismissed", "fixed"] },
                        "reason": { "type": ["string", "null"], "maxLength": 500 },
                        "run": { "type": ["integer", "null"], "format": "int64" }
                    }
                } } } },
                "responses": with_body_errors(ok("审核后的问题", object.clone()))
            } },
            "/diff": { "get": {
                "summary": "两次评估之间的问题变化（新增、已整改、仍存在）",
                "parameters": [
                    query("from", json!({ "type": "integer", "format": "int64" }), true, "较早的评估编号"),
                    query("to", json!({ "type": "integer", "format": "int64" }), true, "较晚的评估编号")
                ],
                "responses": ok("变化", object.clone())
            } },
            "/precision": { "get": { "summary": "按问题代码与规则统计的审核准确率", "responses": ok("准确率", object.clone()) } },
            "/audit": { "get": {
                "summary": "审计日志（管理员）",
                "parameters": [query("limit", json!({ "type": "integer", "minimum": 0 }), false, "条数，默认 100")],
                "responses": ok("日志（最新在前）", list)
            } }
        }
    })
}
