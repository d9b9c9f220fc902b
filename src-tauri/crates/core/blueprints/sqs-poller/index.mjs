export const handler = async (event) => {
  for (const record of event.Records) {
    console.log(`Message ${record.messageId}:`, record.body);
  }
  return { batchItemFailures: [] };
};
