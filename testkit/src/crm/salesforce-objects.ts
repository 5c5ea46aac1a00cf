// The objects the Salesforce contract server knows: the standard fields the product reads or writes, with
// their describe types (Salesforce's object reference).

/** A field of a contract object, as describe lists it. */
export interface ContractField {
  name: string;
  label: string;
  type: 'id' | 'string' | 'email' | 'phone' | 'url' | 'picklist' | 'textarea' | 'int' | 'double' | 'currency' | 'percent' | 'boolean' | 'date' | 'datetime' | 'reference';
  updateable?: boolean;
}

const f = (name: string, label: string, type: ContractField['type'], updateable = true): ContractField => ({ name, label, type, updateable });
const SYSTEM_FIELDS = [f('Id', 'Record ID', 'id', false), f('IsDeleted', 'Deleted', 'boolean', false), f('CreatedDate', 'Created Date', 'datetime', false), f('LastModifiedDate', 'Last Modified Date', 'datetime', false), f('SystemModstamp', 'System Modstamp', 'datetime', false), f('OwnerId', 'Owner ID', 'reference')];

/** The objects the contract knows, with the standard fields the product reads or writes. */
export const CONTRACT_OBJECTS: Record<string, { prefix: string; label: string; fields: ContractField[] }> = {
  Lead: {
    prefix: '00Q',
    label: 'Lead',
    fields: [
      ...SYSTEM_FIELDS,
      f('FirstName', 'First Name', 'string'),
      f('LastName', 'Last Name', 'string'),
      f('Name', 'Full Name', 'string', false),
      f('Email', 'Email', 'email'),
      f('Phone', 'Phone', 'phone'),
      f('Title', 'Title', 'string'),
      f('Company', 'Company', 'string'),
      f('Website', 'Website', 'url'),
      f('Street', 'Street', 'textarea'),
      f('City', 'City', 'string'),
      f('State', 'State/Province', 'string'),
      f('PostalCode', 'Zip/Postal Code', 'string'),
      f('Country', 'Country', 'string'),
      f('Industry', 'Industry', 'picklist'),
      f('LeadSource', 'Lead Source', 'picklist'),
      f('Status', 'Status', 'picklist'),
      f('Rating', 'Rating', 'picklist'),
      f('NumberOfEmployees', 'No. of Employees', 'int'),
      f('AnnualRevenue', 'Annual Revenue', 'currency'),
      f('IsConverted', 'Converted', 'boolean', false),
    ],
  },
  Contact: {
    prefix: '003',
    label: 'Contact',
    fields: [
      ...SYSTEM_FIELDS,
      f('FirstName', 'First Name', 'string'),
      f('LastName', 'Last Name', 'string'),
      f('Email', 'Email', 'email'),
      f('Phone', 'Business Phone', 'phone'),
      f('Title', 'Title', 'string'),
      f('AccountId', 'Account ID', 'reference'),
      f('MailingCity', 'Mailing City', 'string'),
      f('MailingState', 'Mailing State/Province', 'string'),
      f('MailingPostalCode', 'Mailing Zip/Postal Code', 'string'),
      f('MailingCountry', 'Mailing Country', 'string'),
      f('LeadSource', 'Lead Source', 'picklist'),
    ],
  },
  Account: {
    prefix: '001',
    label: 'Account',
    fields: [...SYSTEM_FIELDS, f('Name', 'Account Name', 'string'), f('Website', 'Website', 'url'), f('Industry', 'Industry', 'picklist'), f('NumberOfEmployees', 'Employees', 'int'), f('AnnualRevenue', 'Annual Revenue', 'currency'), f('BillingCountry', 'Billing Country', 'string'), f('LastActivityDate', 'Last Activity', 'date', false)],
  },
  Task: {
    prefix: '00T',
    label: 'Task',
    fields: [...SYSTEM_FIELDS, f('Subject', 'Subject', 'string'), f('Description', 'Comments', 'textarea'), f('ActivityDate', 'Due Date Only', 'date'), f('Status', 'Status', 'picklist'), f('Priority', 'Priority', 'picklist'), f('WhoId', 'Name ID', 'reference'), f('WhatId', 'Related To ID', 'reference')],
  },
  User: {
    prefix: '005',
    label: 'User',
    fields: [...SYSTEM_FIELDS.filter((x) => x.name !== 'OwnerId'), f('Username', 'Username', 'string'), f('Email', 'Email', 'email'), f('FirstName', 'First Name', 'string'), f('LastName', 'Last Name', 'string'), f('Name', 'Full Name', 'string', false), f('IsActive', 'Active', 'boolean')],
  },
};
