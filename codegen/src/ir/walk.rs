//! The one walk over type references: every reference the IR holds, with where it sits
//! ([`each_ref`], [`each_ref_mut`]), and every reference nested in one ([`TypeRef::walk`],
//! [`TypeRef::walk_mut`]). The lowering's passes and the emitters go through these instead of
//! listing an operation's or a type's references by hand, so a new place that holds a reference
//! is added here once.

use super::{Api, BodyEncoding, Operation, Success, TypeId, TypeKind, TypeRef};

/// Where a reference sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// A field of a struct, or a part of a multipart form (`multipart`).
    Field {
        /// The type that has the field.
        owner: TypeId,
        /// Whether the owner is a multipart form.
        multipart: bool,
    },
    /// The value type of a struct's extra properties.
    Additional {
        /// The struct.
        owner: TypeId,
    },
    /// What an alias names.
    Alias {
        /// The alias.
        owner: TypeId,
    },
    /// A member of a union.
    Member {
        /// The union.
        owner: TypeId,
    },
    /// A parameter of an operation.
    Param,
    /// An operation's request body, sent in this encoding.
    RequestBody(BodyEncoding),
    /// A documented response's body, decoded in this encoding.
    ResponseBody(BodyEncoding),
    /// What a successful call returns.
    Success,
    /// The item type of a page stream.
    PageItem,
}

impl Site {
    /// Whether a value here travels inside a JSON document (where raw bytes cannot).
    pub fn in_json(self) -> bool {
        match self {
            Site::Field { multipart, .. } => !multipart,
            Site::Additional { .. } | Site::Alias { .. } | Site::Member { .. } => true,
            Site::RequestBody(e) => matches!(e, BodyEncoding::Json | BodyEncoding::Form),
            Site::ResponseBody(e) => e == BodyEncoding::Json,
            Site::Success | Site::PageItem => true,
            Site::Param => false,
        }
    }
}

impl TypeKind {
    /// Every reference the kind holds directly (fields, extra properties, an alias's target,
    /// union members), with its site.
    pub fn each_ref(&self, owner: TypeId, f: &mut impl FnMut(Site, &TypeRef)) {
        match self {
            TypeKind::Struct { fields, additional } => {
                fields.iter().for_each(|x| f(Site::Field { owner, multipart: false }, &x.ty));
                additional.iter().for_each(|ty| f(Site::Additional { owner }, ty));
            }
            TypeKind::Multipart { fields } => {
                fields.iter().for_each(|x| f(Site::Field { owner, multipart: true }, &x.ty));
            }
            TypeKind::Alias(ty) => f(Site::Alias { owner }, ty),
            TypeKind::OneOf { variants, .. } => variants.iter().for_each(|v| f(Site::Member { owner }, &v.ty)),
            TypeKind::Enum { .. } => {}
        }
    }

    /// [`Self::each_ref`], to change them.
    pub fn each_ref_mut(&mut self, owner: TypeId, f: &mut impl FnMut(Site, &mut TypeRef)) {
        match self {
            TypeKind::Struct { fields, additional } => {
                fields.iter_mut().for_each(|x| f(Site::Field { owner, multipart: false }, &mut x.ty));
                additional.iter_mut().for_each(|ty| f(Site::Additional { owner }, ty));
            }
            TypeKind::Multipart { fields } => {
                fields.iter_mut().for_each(|x| f(Site::Field { owner, multipart: true }, &mut x.ty));
            }
            TypeKind::Alias(ty) => f(Site::Alias { owner }, ty),
            TypeKind::OneOf { variants, .. } => {
                variants.iter_mut().for_each(|v| f(Site::Member { owner }, &mut v.ty));
            }
            TypeKind::Enum { .. } => {}
        }
    }
}

/// Every reference of the IR that a type or an operation holds directly, in IR order: the
/// types' (in arena order), then each operation's (parameters, body, responses, success, page
/// item).
pub fn each_ref(api: &Api, mut f: impl FnMut(Site, &TypeRef)) {
    for (i, t) in api.types.iter().enumerate() {
        t.kind.each_ref(TypeId(i as u32), &mut f);
    }
    for op in api.operations() {
        each_op_ref(op, &mut f);
    }
}

/// Every reference one operation holds directly: parameters, body, responses, success, page item.
pub fn each_op_ref(op: &Operation, f: &mut impl FnMut(Site, &TypeRef)) {
    op.params.iter().for_each(|p| f(Site::Param, &p.ty));
    op.body.iter().for_each(|b| f(Site::RequestBody(b.encoding), &b.ty));
    op.responses.iter().filter_map(|r| r.body.as_ref()).for_each(|b| f(Site::ResponseBody(b.encoding), &b.ty));
    if let Success::Json(ty) = &op.success {
        f(Site::Success, ty);
    }
    op.pagination.iter().for_each(|p| f(Site::PageItem, &p.item));
}

/// [`each_ref`], to change them.
pub fn each_ref_mut(api: &mut Api, mut f: impl FnMut(Site, &mut TypeRef)) {
    for (i, t) in api.types.iter_mut().enumerate() {
        t.kind.each_ref_mut(TypeId(i as u32), &mut f);
    }
    for op in api.groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
        op.params.iter_mut().for_each(|p| f(Site::Param, &mut p.ty));
        op.body.iter_mut().for_each(|b| f(Site::RequestBody(b.encoding), &mut b.ty));
        for b in op.responses.iter_mut().filter_map(|r| r.body.as_mut()) {
            f(Site::ResponseBody(b.encoding), &mut b.ty);
        }
        if let Success::Json(ty) = &mut op.success {
            f(Site::Success, ty);
        }
        op.pagination.iter_mut().for_each(|p| f(Site::PageItem, &mut p.item));
    }
}

impl TypeRef {
    /// This reference and every one nested in it (an array's items, a map's values, what
    /// `nullable` wraps), outermost first.
    pub fn walk(&self, f: &mut impl FnMut(&TypeRef)) {
        f(self);
        if let TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) = self {
            inner.walk(f);
        }
    }

    /// [`Self::walk`], to change them: each is visited before what is nested in it, as it is
    /// after `f` changed it.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        f(self);
        if let TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) = self {
            inner.walk_mut(f);
        }
    }

    /// Every named type this reference leads to directly or through arrays, maps and
    /// `nullable`.
    pub fn named_ids(&self) -> Vec<TypeId> {
        let mut ids = Vec::new();
        self.walk(&mut |ty| {
            if let TypeRef::Named { id, .. } = ty {
                ids.push(*id);
            }
        });
        ids
    }
}
