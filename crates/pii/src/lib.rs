//! Detect and mask personal data (phones, ID numbers, bank cards, e-mail) in Chinese text
