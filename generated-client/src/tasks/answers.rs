//! An analytic app's answers: `{name, value}` pairs, checked against the app's questions before a
//! job is created, so that a misspelt name or a forgotten answer is an error that lists the
//! questions rather than a job that runs with defaults. A file answer names a local file; it is
//! uploaded as an input file when the job is started and its reference id becomes the value.

use std::path::PathBuf;

use super::TaskError;
use crate::types::WorkflowQuestion;

/// One answer's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The value as text (numbers, dates, list keys as the app expects them).
    Text(String),
    /// A local file, uploaded as an input file; its reference id is the value.
    File(PathBuf),
}

/// The answers to an analytic app's questions, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    entries: Vec<(String, Answer)>,
}

impl Answers {
    /// No answers.
    pub fn new() -> Self {
        Answers::default()
    }

    /// Answers the question `name` with `value`.
    #[must_use]
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.entries.push((name.into(), Answer::Text(value.into())));
        self
    }

    /// Answers the (file browse) question `name` with the file at `path`.
    #[must_use]
    pub fn file(mut self, name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        self.entries.push((name.into(), Answer::File(path.into())));
        self
    }

    /// Whether there is no answer.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The answers, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Answer)> {
        self.entries.iter().map(|(n, a)| (n.as_str(), a))
    }

    /// Checks the answers against the app's questions: every answer must name a question, once,
    /// and every required question (see [`is_required`]) must be answered.
    ///
    /// # Errors
    ///
    /// [`TaskError::Answers`], naming what is wrong and listing the questions.
    pub fn check(&self, questions: &[WorkflowQuestion]) -> Result<(), TaskError> {
        let names: Vec<&str> = questions.iter().filter_map(|q| q.name.as_deref()).collect();
        let fail = |problem: String| {
            let listed = questions.iter().map(describe).collect();
            Err(TaskError::Answers { problem, questions: listed })
        };
        for (i, (name, _)) in self.entries.iter().enumerate() {
            if !names.contains(&name.as_str()) {
                let hint = names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(name))
                    .map(|n| format!(" (did you mean {n:?}?)"))
                    .unwrap_or_default();
                return fail(format!("the app has no question named {name:?}{hint}"));
            }
            if self.entries[..i].iter().any(|(earlier, _)| earlier == name) {
                return fail(format!("the question {name:?} is answered twice"));
            }
        }
        let missing: Vec<String> = questions
            .iter()
            .filter(|q| is_required(q))
            .filter_map(|q| q.name.clone())
            .filter(|n| !self.entries.iter().any(|(name, _)| name == n))
            .collect();
        if !missing.is_empty() {
            let which = missing.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
            return fail(format!(
                "no answer to the required question{} {which}",
                if missing.len() == 1 { "" } else { "s" }
            ));
        }
        Ok(())
    }
}

/// Whether a question needs an answer. The V3 API says nothing of it, so this is a rule of thumb:
/// a question with no default value needs one, unless it is a check box, a radio button or a
/// boolean (which always have a value).
pub fn is_required(question: &WorkflowQuestion) -> bool {
    let has_default = question.value.as_deref().is_some_and(|v| !v.trim().is_empty());
    let kind = question.question_type.as_deref().unwrap_or_default().to_ascii_lowercase();
    let always_set = ["checkbox", "radio", "boolean"].iter().any(|k| kind.contains(k));
    !has_default && !always_set
}

/// `Region (QuestionTextBox, required)`.
fn describe(q: &WorkflowQuestion) -> String {
    let name = q.name.as_deref().unwrap_or("?");
    let kind = q.question_type.as_deref().unwrap_or("unknown type");
    if is_required(q) { format!("{name} ({kind}, required)") } else { format!("{name} ({kind})") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(name: &str, kind: &str, default: Option<&str>) -> WorkflowQuestion {
        let mut q = WorkflowQuestion::new();
        q.name = Some(name.into());
        q.question_type = Some(kind.into());
        q.value = default.map(str::to_string);
        q
    }

    #[test]
    fn answers_must_name_questions_and_cover_the_required_ones() {
        let questions = vec![
            question("Region", "QuestionTextBox", None),
            question("Top", "QuestionNumericUpDown", Some("10")),
            question("Verbose", "QuestionCheckBox", None),
        ];
        assert!(Answers::new().text("Region", "EMEA").check(&questions).is_ok());
        let err = Answers::new().text("Regoin", "EMEA").check(&questions).unwrap_err().to_string();
        assert!(err.contains(r#"no question named "Regoin""#), "{err}");
        assert!(err.contains("Region (QuestionTextBox, required), Top (QuestionNumericUpDown), Verbose"), "{err}");
        let err = Answers::new().text("region", "x").check(&questions).unwrap_err().to_string();
        assert!(err.contains(r#"did you mean "Region"?"#), "{err}");
        let err = Answers::new().text("Top", "5").check(&questions).unwrap_err().to_string();
        assert!(err.contains(r#"no answer to the required question "Region""#), "{err}");
        let err = Answers::new().text("Region", "a").file("Region", "b.csv").check(&questions).unwrap_err();
        assert!(err.to_string().contains("answered twice"), "{err}");
    }
}
