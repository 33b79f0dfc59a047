//! Frameworks as data: indicator trees, vetoes, redistribution, scores and rankings
