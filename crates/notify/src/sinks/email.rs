//! E-mail over SMTP (lettre): a plain-text UTF-8 message, Base64 transfer encoding so any
//! relay passes Chinese text unchanged. TLS is rustls with the system's certificate store;
//! `security = "none"` is for a relay on the local network (and the tests' loopback server).

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{Sending, Sink};
use crate::error::SinkError;
use crate::render::Message;
use crate::routing::{SinkConfig, SmtpSecurity};

pub struct Email {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

impl Email {
    pub fn new(config: &SinkConfig) -> Result<Self, SinkError> {
        let smtp = config.smtp.as_ref().ok_or_else(|| SinkError("邮件接收端缺少 SMTP 设置".into()))?;
        let tls_error = |e: lettre::transport::smtp::Error| SinkError(format!("SMTP TLS 设置失败：{e}"));
        if smtp.security != SmtpSecurity::None {
            // lettre's rustls uses the process's provider: the same ring as the HTTP sinks.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let mut builder = match smtp.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(tls_error)?
            }
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(tls_error)?
            }
        }
        .port(smtp.port)
        .timeout(Some(config.timeout));
        if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let parse = |s: &str| s.parse::<Mailbox>().map_err(|e| SinkError(format!("邮件地址“{s}”无效：{e}")));
        Ok(Email {
            transport: builder.build(),
            from: parse(&smtp.from)?,
            to: smtp.to.iter().map(|t| parse(t)).collect::<Result<_, _>>()?,
        })
    }
}

impl Sink for Email {
    fn send<'a>(&'a self, message: &'a Message, _now: DateTime<Utc>) -> Sending<'a> {
        Box::pin(async move {
            let mut builder = lettre::Message::builder().from(self.from.clone()).subject(&message.title);
            for to in &self.to {
                builder = builder.to(to.clone());
            }
            let text = format!("{}\n\n{}\n", message.title, message.plain());
            let part = SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::Base64)
                .body(text);
            let email = builder.singlepart(part).map_err(|e| SinkError(format!("邮件构造失败：{e}")))?;
            self.transport.send(email).await.map_err(|e| SinkError(format!("邮件发送失败：{e}")))?;
            Ok(())
        })
    }
}
