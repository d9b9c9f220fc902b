console.log("Loading function");

export const handler = async (event) => {
  console.log("value1 =", event.key1);
  console.log("value2 =", event.key2);
  console.log("value3 =", event.key3);
  return "Hello World";
};
